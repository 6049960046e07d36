package io.descentwatch.serve;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A HOST:PORT that serve listens on, as given by a flag. */
public record Endpoint(String host, int port) {

    /**
     * Parses {@code value} of {@code flag}; the message of the exception names the flag and what is valid.
     *
     * @throws BadSettingException when it is not HOST:PORT with a port in 1..65535
     */
    public static Endpoint parse(String flag, String value) {
        String v = value == null ? "" : value.strip();
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new BadSettingException(flag + " must be HOST:PORT (e.g. localhost:9092), got '" + value + "'");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BadSettingException(flag + " must be HOST:PORT with a numeric port, got '" + value + "'");
        }
        if (port < 1 || port > 65535) {
            throw new BadSettingException(flag + ": the port must be 1..65535, got " + port);
        }
        return new Endpoint(host, port);
    }

    /**
     * Fails when nothing may listen here: the port is taken (another serve, a Kafka, any server), or the host is not
     * an address of this machine. Checked before anything starts, so that a clash is one clear line.
     */
    public void checkFree(String flag) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            // "Address already in use"; a host that is not this machine's is a BindException too
            if (e.getMessage() != null && e.getMessage().contains("in use")) {
                throw new BadSettingException(flag + " " + this + ": the port is already in use (another "
                        + "descentwatch serve or Kafka?); stop that or pick another port with " + flag);
            }
            throw new BadSettingException(flag + " " + this + ": cannot listen there: " + e.getMessage());
        } catch (IOException e) {
            throw new BadSettingException(flag + " " + this + ": cannot listen there: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
