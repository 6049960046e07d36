package io.descentwatch.streams.detector;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line against one record stopping the detector: a record the broker will never take (too large for a
 * dead-letter topic someone created with a smaller limit) is logged with where its input lies, and processing
 * goes on. Retrying could not help and failing would fail again on the same record after every restart. Every
 * other production error keeps Kafka Streams' default: fail, and restart from the last commit.
 */
public final class UndeliverableRecordHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(UndeliverableRecordHandler.class);

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            log.error(
                    "a record for {} is larger than Kafka accepts and was not written; its input is {}-{} at "
                            + "offset {} ({})",
                    record.topic(),
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception.getMessage());
            return Response.resume();
        }
        return Response.fail();
    }

    @Override
    public void configure(Map<String, ?> configs) {}
}
