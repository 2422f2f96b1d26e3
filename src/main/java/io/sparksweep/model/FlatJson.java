package io.sparksweep.model;

import io.sparksweep.tensor.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the flat JSON objects that model files carry as their {@code architecture}: string, number,
 * boolean and number-array values only (no nesting, no escapes), which is all the model configs
 * write. Numbers are kept as their text and converted by the typed getters.
 */
final class FlatJson {
  private final String text;
  private int pos;

  private FlatJson(String text) {
    this.text = text;
  }

  /** Parses {@code json} into key → String (string or number text) or List of number texts. */
  static Map<String, Object> parse(String json) {
    if (json == null) {
      throw new IllegalArgumentException("architecture JSON must not be null");
    }
    return new FlatJson(json).object();
  }

  static int integer(Map<String, Object> m, String key, long fallback) {
    Object v = m.get(key);
    try {
      return v == null ? (int) fallback : Integer.parseInt((String) v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("architecture JSON: '" + key + "' is not an integer", e);
    }
  }

  static long longValue(Map<String, Object> m, String key, long fallback) {
    Object v = m.get(key);
    try {
      return v == null ? fallback : Long.parseLong((String) v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("architecture JSON: '" + key + "' is not an integer", e);
    }
  }

  static double number(Map<String, Object> m, String key, double fallback) {
    Object v = m.get(key);
    try {
      return v == null ? fallback : Double.parseDouble((String) v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("architecture JSON: '" + key + "' is not a number", e);
    }
  }

  static String string(Map<String, Object> m, String key, String fallback) {
    Object v = m.get(key);
    return v == null ? fallback : v.toString();
  }

  static int[] intArray(Map<String, Object> m, String key, int[] fallback) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof List)) {
      throw new IllegalArgumentException("architecture JSON: '" + key + "' is not an array");
    }
    List<?> list = (List<?>) v;
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Integer.parseInt((String) list.get(i));
    }
    return out;
  }

  static DType dtype(Map<String, Object> m, String key, DType fallback) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return DType.valueOf(v.toString().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown dtype '" + v + "'; expected float32 or float64", e);
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> out = new LinkedHashMap<>();
    ws();
    expect('{');
    ws();
    if (peek() == '}') {
      pos++;
    } else {
      while (true) {
        ws();
        String key = string();
        ws();
        expect(':');
        ws();
        out.put(key, value());
        ws();
        char c = next();
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }
    ws();
    if (pos != text.length()) {
      throw error("unexpected text after the object");
    }
    return out;
  }

  private Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    if (c == '[') {
      pos++;
      List<String> items = new ArrayList<>();
      ws();
      if (peek() == ']') {
        pos++;
        return items;
      }
      while (true) {
        ws();
        items.add(scalar());
        ws();
        char d = next();
        if (d == ']') {
          return items;
        }
        if (d != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }
    return scalar();
  }

  private String scalar() {
    int start = pos;
    while (pos < text.length() && "+-.0123456789eEtruefalsn".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a number or a string");
    }
    return text.substring(start, pos);
  }

  private String string() {
    expect('"');
    int start = pos;
    while (pos < text.length() && text.charAt(pos) != '"') {
      if (text.charAt(pos) == '\\') {
        throw error("escapes are not supported");
      }
      pos++;
    }
    expect('"');
    return text.substring(start, pos - 1);
  }

  private void ws() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "architecture JSON: " + what + " at position " + pos + " of: " + text);
  }
}
