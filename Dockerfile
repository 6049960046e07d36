# One image for every role of DescentWatch: the subcommand picks the role (detector, sink, worker, sweep, ...).
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
# dependencies first, so that a source change does not download them again
COPY pom.xml ./
COPY events/pom.xml events/
COPY detection/pom.xml detection/
COPY kafka/pom.xml kafka/
COPY testkit/pom.xml testkit/
COPY streams/pom.xml streams/
COPY producer/pom.xml producer/
COPY cli/pom.xml cli/
COPY dashboards/pom.xml dashboards/
RUN mvn -B -q -pl cli -am dependency:go-offline -Dmaven.test.skip=true || true
COPY . .
RUN mvn -B -q -pl cli -am -Dmaven.test.skip=true package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /app descentwatch
WORKDIR /app
COPY --from=build /src/cli/target/descentwatch.jar /app/descentwatch.jar
COPY --from=build /src/cli/target/lib /app/lib
# one single-threaded worker per core trains faster than one multi-threaded worker (DESIGN.md)
ENV OMP_NUM_THREADS=1 \
    DW_STATE_DIR=/app/state \
    JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=/app/.javacpp"
RUN mkdir -p /app/state /app/.javacpp && chown -R descentwatch /app
USER descentwatch
ENTRYPOINT ["java", "-jar", "/app/descentwatch.jar"]
CMD ["--help"]
