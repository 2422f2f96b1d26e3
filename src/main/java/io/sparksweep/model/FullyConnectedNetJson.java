package io.sparksweep.model;

import io.sparksweep.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the flat JSON object of {@link FullyConnectedNetConfig#toJson}: string, number and
 * number-array values only, which is all the config writes (no JSON library needed).
 */
final class FullyConnectedNetJson {
  private final String text;
  private int pos;

  FullyConnectedNetJson(String text) {
    if (text == null) {
      throw new IllegalArgumentException("architecture JSON must not be null");
    }
    this.text = text;
  }

  FullyConnectedNetConfig readConfig() {
    FullyConnectedNetConfig.Builder b = FullyConnectedNetConfig.builder();
    skipWhitespace();
    expect('{');
    skipWhitespace();
    if (peek() == '}') {
      pos++;
    } else {
      while (true) {
        skipWhitespace();
        String key = readString();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        apply(b, key);
        skipWhitespace();
        char c = next();
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }
    skipWhitespace();
    if (pos != text.length()) {
      throw error("unexpected text after the object");
    }
    return b.build();
  }

  private void apply(FullyConnectedNetConfig.Builder b, String key) {
    try {
      switch (key) {
        case "model" -> {
          String model = readString();
          if (!model.equals("fc")) {
            throw new IllegalArgumentException(
                "architecture JSON describes model '" + model + "', not 'fc'");
          }
        }
        case "hidden_dims" -> {
          List<Integer> dims = new ArrayList<>();
          for (String t : readNumberArray()) {
            dims.add(Integer.parseInt(t));
          }
          b.hiddenDims(dims);
        }
        case "input_dim" -> b.inputDim(Integer.parseInt(readNumber()));
        case "num_classes" -> b.numClasses(Integer.parseInt(readNumber()));
        case "dropout_keep_ratio" -> b.dropoutKeepRatio(Double.parseDouble(readNumber()));
        case "normalization" -> b.normalization(readString());
        case "reg" -> b.reg(Double.parseDouble(readNumber()));
        case "weight_scale" -> b.weightScale(Double.parseDouble(readNumber()));
        case "dtype" -> {
          String dtype = readString();
          try {
            b.dtype(DType.valueOf(dtype.toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "unknown dtype '" + dtype + "'; expected float32 or float64", e);
          }
        }
        case "seed" -> b.seed(Long.parseLong(readNumber()));
        default -> skipValue();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "architecture JSON: bad number for '" + key + "': " + e.getMessage(), e);
    }
  }

  private void skipValue() {
    char c = peek();
    if (c == '"') {
      readString();
    } else if (c == '[') {
      readNumberArray();
    } else {
      readNumber();
    }
  }

  private String readString() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        throw error("escapes are not supported");
      }
      sb.append(c);
    }
  }

  private List<String> readNumberArray() {
    expect('[');
    List<String> out = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return out;
    }
    while (true) {
      skipWhitespace();
      out.add(readNumber());
      skipWhitespace();
      char c = next();
      if (c == ']') {
        return out;
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String readNumber() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a number");
    }
    return text.substring(start, pos);
  }

  private void skipWhitespace() {
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
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "architecture JSON: " + what + " at offset " + pos + " in " + text);
  }
}
