package io.descentwatch.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The valid values of a numeric or duration option, declared beside its {@code @Option} and checked by
 * {@link Ranges} once the command line and the environment have been read, before anything starts. Bounds are
 * written as the option's own values: numbers ({@code "1"}, {@code "1e-4"}) for numeric options, ISO-8601
 * ({@code "PT0.01S"}) for {@link java.time.Duration} ones. An empty bound is open on that side. For a list option
 * every element must be in range.
 *
 * <p>Every numeric option of every command has one: {@code OptionRangesTest} in the cli module walks them all and
 * fails on a numeric option without a range.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Range {

    /** Smallest valid value, inclusive; empty for no lower bound (see also {@link #above()}). */
    String min() default "";

    /** Values must be greater than this (exclusive lower bound); empty for none. */
    String above() default "";

    /** Largest valid value, inclusive; empty for no upper bound (see also {@link #below()}). */
    String max() default "";

    /** Values must be less than this (exclusive upper bound); empty for none. */
    String below() default "";
}
