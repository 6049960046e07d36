package io.descentwatch.events;

import java.util.function.Function;

/** The outcome of decoding one input record: a value, or a rejection that says why not. */
public sealed interface Decoded<T> {

    record Valid<T>(T value) implements Decoded<T> {}

    record Invalid<T>(Rejection rejection) implements Decoded<T> {}

    default boolean isValid() {
        return this instanceof Valid<T>;
    }

    default T value() {
        if (this instanceof Valid<T> v) {
            return v.value();
        }
        throw new IllegalStateException("not valid: " + ((Invalid<T>) this).rejection());
    }

    default <R> Decoded<R> flatMap(Function<T, Decoded<R>> f) {
        if (this instanceof Valid<T> v) {
            return f.apply(v.value());
        }
        return new Invalid<>(((Invalid<T>) this).rejection());
    }

    default <R> Decoded<R> map(Function<T, R> f) {
        if (this instanceof Valid<T> v) {
            return new Valid<>(f.apply(v.value()));
        }
        return new Invalid<>(((Invalid<T>) this).rejection());
    }
}
