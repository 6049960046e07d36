package io.descentwatch.streams.detector;

import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;

/** An input record's original bytes beside what validation made of them; the DLQ needs both. */
record InspectedRecord(byte[] raw, Decoded<EpochEvent> decoded) {}
