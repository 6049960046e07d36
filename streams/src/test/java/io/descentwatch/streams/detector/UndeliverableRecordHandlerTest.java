package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.junit.jupiter.api.Test;

class UndeliverableRecordHandlerTest {

    private final ErrorHandlerContext context = (ErrorHandlerContext) Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {ErrorHandlerContext.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "topic" -> "epochs";
                case "partition" -> 1;
                case "offset" -> 42L;
                default -> null;
            });
    private final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("epochs.dlq", new byte[1]);

    @Test
    void aRecordKafkaWillNeverTakeIsSkippedSoThatItCannotStopTheDetector() {
        assertThat(new UndeliverableRecordHandler()
                        .handleError(context, record, new RecordTooLargeException("too large"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.RESUME);
    }

    @Test
    void everyOtherErrorFailsAsByDefaultSoNothingIsLostQuietly() {
        assertThat(new UndeliverableRecordHandler()
                        .handleError(context, record, new TimeoutException("broker away"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }
}
