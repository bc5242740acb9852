package dev.selfdistill.distill;

import dev.selfdistill.UserError;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hyperparameters of one method as given in the study file, read with defaults and validated.
 * Every key a method does not read is reported as unknown by {@link #checkAllRead()}, so a typo
 * never silently falls back to a default.
 */
public final class MethodParams {
    private final String method;
    private final Map<String, Object> values;
    private final Set<String> read = new HashSet<>();
    private final Map<String, Object> resolved = new LinkedHashMap<>();

    public MethodParams(String method, Map<String, Object> values) {
        this.method = method;
        this.values = values == null ? Map.of() : values;
    }

    /** Returns the name of the method these parameters belong to. */
    public String method() {
        return method;
    }

    /** Reads a number, with a default, that must lie in [min, max]. */
    public double number(String key, double defaultValue, double min, double max) {
        read.add(key);
        Object raw = values.get(key);
        double value;
        if (raw == null) {
            value = defaultValue;
        } else if (raw instanceof Number n) {
            value = n.doubleValue();
        } else {
            throw new UserError(path(key) + " must be a number, got '" + raw + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new UserError(path(key) + " must be between " + min + " and " + max + ", got " + value);
        }
        resolved.put(key, value);
        return value;
    }

    /** Reads a number that must be strictly positive. */
    public double positive(String key, double defaultValue) {
        double value = number(key, defaultValue, -Double.MAX_VALUE, Double.MAX_VALUE);
        if (!(value > 0)) {
            throw new UserError(path(key) + " must be positive, got " + value);
        }
        return value;
    }

    /** Reads an integer in [min, max]. */
    public int integer(String key, int defaultValue, int min, int max) {
        double value = number(key, defaultValue, min, max);
        if (value != Math.rint(value)) {
            throw new UserError(path(key) + " must be an integer, got " + value);
        }
        resolved.put(key, (int) value);
        return (int) value;
    }

    /** Reads a boolean. */
    public boolean flag(String key, boolean defaultValue) {
        read.add(key);
        Object raw = values.get(key);
        boolean value;
        if (raw == null) {
            value = defaultValue;
        } else if (raw instanceof Boolean b) {
            value = b;
        } else {
            throw new UserError(path(key) + " must be true or false, got '" + raw + "'");
        }
        resolved.put(key, value);
        return value;
    }

    /** Fails on the first key that no read asked for. */
    public void checkAllRead() {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            String key = unknown.iterator().next();
            throw new UserError(
                    path(key) + " is not a parameter of " + method + "; allowed: " + String.join(", ", new TreeSet<>(read)));
        }
    }

    /** Returns every parameter with the value in force, defaults included. */
    public Map<String, Object> resolved() {
        return Map.copyOf(resolved);
    }

    private String path(String key) {
        return "methods." + method + "." + key;
    }
}
