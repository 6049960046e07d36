package io.descentwatch.importers;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * Which tag or column is the train loss, the test loss and the two errors. Each is either named (a tag, or
 * {@code 1-TAG} for an accuracy to be read as an error) or looked for among the names the common loggers use.
 */
public record MetricMapping(String trainLoss, String testLoss, String trainError, String testError) {

    /** What each role is called in Lightning, Keras, PyTorch's tutorials, W&B and MLflow examples, in that order. */
    static final List<String> TRAIN_LOSS_NAMES = List.of(
            "train_loss", "train/loss", "loss/train", "Loss/train", "train_loss_epoch", "training_loss", "loss");

    static final List<String> TEST_LOSS_NAMES = List.of(
            "test_loss",
            "test/loss",
            "loss/test",
            "Loss/test",
            "val_loss",
            "val/loss",
            "loss/val",
            "Loss/val",
            "val_loss_epoch",
            "validation_loss",
            "eval/loss",
            "eval_loss");
    static final List<String> TRAIN_ERROR_NAMES = List.of("train_error", "train/error", "error/train");
    static final List<String> TEST_ERROR_NAMES =
            List.of("test_error", "test/error", "error/test", "val_error", "val/error");

    /** The prefix that reads an accuracy as an error. */
    static final String COMPLEMENT = "1-";

    /** Where one role's values come from in one run: the tag, and whether they are 1 minus the tag's values. */
    record Source(String tag, boolean complement) {
        double valueOf(double logged) {
            return complement ? 1 - logged : logged;
        }

        @Override
        public String toString() {
            return (complement ? COMPLEMENT : "") + tag;
        }
    }

    Optional<Source> trainLossIn(Map<String, NavigableMap<Long, LoggedRun.Sample>> series) {
        return find(trainLoss, TRAIN_LOSS_NAMES, series);
    }

    Optional<Source> testLossIn(Map<String, NavigableMap<Long, LoggedRun.Sample>> series) {
        return find(testLoss, TEST_LOSS_NAMES, series);
    }

    Optional<Source> trainErrorIn(Map<String, NavigableMap<Long, LoggedRun.Sample>> series) {
        return find(trainError, TRAIN_ERROR_NAMES, series);
    }

    Optional<Source> testErrorIn(Map<String, NavigableMap<Long, LoggedRun.Sample>> series) {
        return find(testError, TEST_ERROR_NAMES, series);
    }

    /** The named tag (its complement when written {@code 1-TAG} and no tag of that whole name exists). */
    private static Optional<Source> find(
            String named, List<String> usual, Map<String, NavigableMap<Long, LoggedRun.Sample>> series) {
        if (named != null) {
            if (series.containsKey(named)) {
                return Optional.of(new Source(named, false));
            }
            if (named.startsWith(COMPLEMENT) && series.containsKey(named.substring(COMPLEMENT.length()))) {
                return Optional.of(new Source(named.substring(COMPLEMENT.length()), true));
            }
            return Optional.empty();
        }
        return usual.stream().filter(series::containsKey).findFirst().map(t -> new Source(t, false));
    }

    /** How a missing role is explained: what was looked for. */
    static String lookedFor(String named, List<String> usual) {
        return named != null ? "'" + named + "'" : "any of " + String.join(", ", usual);
    }
}
