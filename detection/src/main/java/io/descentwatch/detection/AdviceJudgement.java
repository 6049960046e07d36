package io.descentwatch.detection;

import io.descentwatch.events.Advice.Basis;
import io.descentwatch.events.Advice.Verdict;
import java.util.function.Supplier;

/** A verdict of the stopping advice and its reason, which is only written out when the advice is refreshed. */
record AdviceJudgement(Verdict verdict, Basis basis, Supplier<String> why) {

    static AdviceJudgement go(Basis basis, Supplier<String> why) {
        return new AdviceJudgement(Verdict.CONTINUE, basis, why);
    }

    static AdviceJudgement stop(Basis basis, Supplier<String> why) {
        return new AdviceJudgement(Verdict.STOP, basis, why);
    }

    String reason() {
        return why.get();
    }
}
