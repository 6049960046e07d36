package io.descentwatch.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.influxdb.InfluxDBException;
import org.junit.jupiter.api.Test;

/**
 * Which InfluxDB failures end the sink (credentials, grants) and which do not: the texts are InfluxDB 1.x's own, as
 * influxdb-java turns them into exceptions. A refused point's error quotes the point, so words in it must not count.
 */
class InfluxDatabaseTest {

    private final InfluxDatabase db = new InfluxDatabase(null, "http://influx:8086", "descentwatch", "dw");

    @Test
    void credentialAndGrantFailuresEndTheSink() {
        assertThat(db.accessDenied(fromInflux("unable to parse authentication credentials")))
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("gave no user");
        assertThat(db.accessDenied(fromInflux("authorization failed")))
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("rejected user 'dw'");
        assertThat(db.accessDenied(fromInflux("\"dw\" user is not authorized to write to database \"descentwatch\"")))
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("GRANT ALL ON \"descentwatch\" TO \"dw\"");
    }

    @Test
    void refusedPointsAndOutagesDoNotEvenWhenAPointQuotesAuthorizationWords() {
        assertThat(db.accessDenied(fromInflux("partial write: unable to parse 'epoch,run=not\\ authorized "
                        + "authorization\\ failed epoch=1 x': bad timestamp dropped=1")))
                .isEmpty();
        assertThat(db.accessDenied(fromInflux("partial write: field type conflict: input field \"epoch\" on "
                        + "measurement \"epoch\" is type string, already exists as type float dropped=1")))
                .isEmpty();
        assertThat(db.accessDenied(fromInflux("database not found: \"descentwatch\"")))
                .isEmpty();
        assertThat(db.accessDenied(new InfluxDBException(new ConnectException("Connection refused"))))
                .isEmpty();
    }

    /** The exception influxdb-java makes of InfluxDB's JSON error body. */
    private static InfluxDBException fromInflux(String error) {
        return InfluxDBException.buildExceptionForErrorState(
                "{\"error\":\"" + error.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }
}
