# One image for every role of DescentWatch: the subcommand picks the role (detector, sink, worker, sweep, ...).
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so that a source change does not download them again. Every module's pom is needed: the
# root pom names them all, and Maven refuses a reactor with a module missing. Reactor modules themselves are not
# in any repository (excludeGroupIds); a failure here is a real one, so it is not hidden.
COPY pom.xml ./
COPY options/pom.xml options/
COPY kafka/pom.xml kafka/
COPY ops/pom.xml ops/
COPY broker/pom.xml broker/
COPY testkit/pom.xml testkit/
COPY events/pom.xml events/
COPY detection/pom.xml detection/
COPY topics/pom.xml topics/
COPY streams/pom.xml streams/
COPY sink/pom.xml sink/
COPY producer/pom.xml producer/
COPY importers/pom.xml importers/
COPY report/pom.xml report/
COPY alerts/pom.xml alerts/
COPY demo/pom.xml demo/
COPY serve/pom.xml serve/
COPY bench/pom.xml bench/
COPY cli/pom.xml cli/
COPY reliability/pom.xml reliability/
COPY dashboards/pom.xml dashboards/
RUN mvn -B -q -pl cli -am org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline \
        -DexcludeGroupIds=io.descentwatch
COPY . .
# the format and the lint warnings are checked by the tests, not by an image build (which would fetch the formatter)
RUN mvn -B -q -pl cli -am -Dmaven.test.skip=true -Dspotless.check.skip=true -Dmaven.compiler.failOnWarning=false \
        package

# A fixed JRE release (not the moving 17-jre tag), so that a rebuild runs what was tested. DL4J's natives in the
# image are linux-x86_64 only: docker-compose.yml builds and runs it as linux/amd64 (emulated on arm64 hosts).
FROM eclipse-temurin:17.0.13_11-jre-jammy
RUN useradd --system --uid 10001 --home /app descentwatch
WORKDIR /app
# The application stays root's (read-only to the process); only the directories it writes are its own. A
# `chown -R /app` after the copies would store the library layer a second time with new owners.
COPY --from=build /src/cli/target/descentwatch.jar /app/descentwatch.jar
COPY --from=build /src/cli/target/lib /app/lib
# one single-threaded worker per core trains these small models faster than one multi-threaded worker (their
# matrices are too small for ND4J's threads to pay off), and the same seed and thread count give identical losses
ENV OMP_NUM_THREADS=1 \
    DW_STATE_DIR=/app/state \
    JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/app/.javacpp"
RUN mkdir -p /app/state /app/.javacpp && chown descentwatch /app /app/state /app/.javacpp
USER descentwatch
ENTRYPOINT ["java", "-jar", "/app/descentwatch.jar"]
CMD ["--help"]
