package io.descentwatch.sink;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Makes sure the sink's database is there before it writes, with whatever rights its InfluxDB user has. An admin
 * creates the database if missing; a plain user cannot ({@code CREATE DATABASE} "requires admin privilege", which
 * is how the InfluxDB image sets up {@code INFLUXDB_USER}: ALL on one database, not admin), so for it the database
 * must already exist and be visible to it. What retrying cannot fix (a wrong password, a missing grant, no user
 * where InfluxDB demands one) is a {@link AccessDenied} naming the user and what to do; anything else (InfluxDB not
 * up yet) is left to the caller to retry.
 */
final class InfluxDatabase {

    /** A failure that no retry can fix: credentials or grants are wrong. */
    static final class AccessDenied extends IllegalStateException {
        AccessDenied(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final InfluxDB influx;
    private final String url;
    private final String database;
    private final String user;

    InfluxDatabase(InfluxDB influx, String url, String database, String user) {
        this.influx = influx;
        this.url = url;
        this.database = database;
        this.user = user == null || user.isBlank() ? null : user;
    }

    /**
     * Creates the database, or, where the user may not, checks that it exists and this user can see it.
     *
     * @return what was found, for the log
     * @throws AccessDenied when the user cannot use the database
     */
    String ensure() {
        try {
            query("CREATE DATABASE " + InfluxConnection.quoted(database));
            return "database " + database + " ready";
        } catch (InfluxDBException | IllegalStateException e) {
            if (!message(e).contains("requires admin privilege")) {
                throw accessDenied(e).orElseThrow(() -> e);
            }
        }
        // not an admin: SHOW DATABASES lists the databases this user has been granted
        List<List<Object>> rows;
        try {
            rows = firstSeriesValues(query("SHOW DATABASES"));
        } catch (InfluxDBException | IllegalStateException e) {
            throw accessDenied(e).orElseThrow(() -> e);
        }
        if (rows.stream().anyMatch(r -> !r.isEmpty() && database.equals(r.get(0)))) {
            return "database " + database + " exists; user " + user + " is not an admin, so the sink does not "
                    + "create it";
        }
        throw new AccessDenied(
                "InfluxDB user '" + user + "' is not an admin, so it cannot create database '"
                        + database + "' at " + url
                        + ", and it has no access to a database of that name: as an InfluxDB "
                        + "admin, run CREATE DATABASE " + InfluxConnection.quoted(database) + " and GRANT ALL ON "
                        + InfluxConnection.quoted(database) + " TO " + InfluxConnection.quoted(user)
                        + " (or give the sink an admin user)",
                null);
    }

    /**
     * The failure as an {@link AccessDenied} when it is one. Told apart by InfluxDB's own error texts at the start of
     * the message, or by influxdb-java's authorization exception, never by a word anywhere in it: a refused point's
     * error quotes the point, whose ids could hold any words. (influxdb-java files "unable to parse authentication
     * credentials" under its unable-to-parse exception, the one for bad points, so that one is told by its text.)
     */
    Optional<AccessDenied> accessDenied(RuntimeException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().strip().toLowerCase(Locale.ROOT);
        boolean authorization = e instanceof InfluxDBException.AuthorizationFailedException;
        String credentials = "(--influx-user, env DW_INFLUX_USER; the password in env DW_INFLUX_PASSWORD or "
                + "--influx-password-file)";
        String reason = null;
        if (m.startsWith("unable to parse authentication credentials")
                || authorization && (m.contains("username required") || m.contains("user is required"))) {
            reason = "InfluxDB at " + url + " has authentication on and the sink gave no user: set one " + credentials;
        } else if (authorization && m.contains("authorization failed")) {
            reason = "InfluxDB at " + url + " rejected user '" + user + "' (authorization failed): check the user "
                    + "and password " + credentials;
        } else if (m.startsWith("error authorizing query: create admin user first")) {
            reason = "InfluxDB at " + url + " has authentication on but no admin user yet: create one "
                    + "(CREATE USER ... WITH ALL PRIVILEGES) and a user for the sink";
        } else if (authorization || m.startsWith("error authorizing query:")) {
            reason = "InfluxDB user '" + user + "' may not write to database '" + database + "' at " + url
                    + ": as an InfluxDB admin, run GRANT ALL ON " + InfluxConnection.quoted(database) + " TO "
                    + InfluxConnection.quoted(Objects.requireNonNullElse(user, "<user>")) + " (InfluxDB: "
                    + e.getMessage() + ")";
        }
        return Optional.ofNullable(reason).map(r -> new AccessDenied(r, e));
    }

    private QueryResult query(String statement) {
        QueryResult r = influx.query(new Query(statement));
        // an error inside a 200 answer is reported here, not thrown by influxdb-java
        if (r.getError() != null) {
            throw new IllegalStateException(r.getError());
        }
        if (r.getResults() != null) {
            for (QueryResult.Result result : r.getResults()) {
                if (result.getError() != null) {
                    throw new IllegalStateException(result.getError());
                }
            }
        }
        return r;
    }

    private static List<List<Object>> firstSeriesValues(QueryResult r) {
        if (r.getResults() == null
                || r.getResults().isEmpty()
                || r.getResults().get(0).getSeries() == null
                || r.getResults().get(0).getSeries().isEmpty()) {
            return List.of();
        }
        List<List<Object>> values = r.getResults().get(0).getSeries().get(0).getValues();
        return values == null ? List.of() : values;
    }

    private static String message(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(' ').append(t.getMessage());
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }
}
