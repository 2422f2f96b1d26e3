package io.sparksweep.tensor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes numpy {@code .npz} archives: a zip of {@code .npy} files, one per named array,
 * as {@code np.savez} / {@code np.savez_compressed} write them and {@code np.load} reads them.
 *
 * <p>Writing: each {@link Tensor} becomes a C-order {@code <f4} (float32) or {@code <f8} (float64)
 * array of the same shape (any rank, 0 included); each string becomes a 0-d numpy unicode array
 * ({@code <U n}, UTF-32LE), so that {@code str(np.load(path)['architecture'])} gives it back
 * without pickle. Files are {@code .npy} format version 1.0 with a header padded to 64 bytes, as
 * numpy writes them.
 *
 * <p>Reading accepts {@code .npy} versions 1.0–3.0, stored or deflated members, and these
 * little-endian C-order dtypes: {@code <f4} (a float32 tensor), {@code <f8} (float64), {@code <i4},
 * {@code <i8}, {@code |u1}, {@code |i1}, {@code |b1} (float64 tensors holding the integer values;
 * {@code <i8} values beyond ±2<sup>53</sup> are refused), and 0-d {@code <U n} (a string).
 * Big-endian data, Fortran order (rank ≥ 2), object arrays (pickles), structured dtypes and other
 * types are refused with an {@link IllegalArgumentException} that says how to re-save the array.
 *
 * <p>Format: <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">
 * numpy.lib.format</a>.
 */
public final class Npz {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  private static final String SUFFIX = ".npy";

  private Npz() {}

  /** How members are stored: as {@code np.savez} ({@code STORED}) or {@code savez_compressed}. */
  public enum Compression {
    /** No compression, as {@code np.savez}. */
    STORED,
    /** Deflate, as {@code np.savez_compressed}. */
    DEFLATED
  }

  /**
   * What an archive holds, in archive order.
   *
   * @param tensors the numeric arrays by name
   * @param strings the 0-d unicode arrays by name
   */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> strings) {
    /** Keeps unmodifiable views; names must be distinct across both maps. */
    public Contents {
      for (String name : strings.keySet()) {
        if (tensors.containsKey(name)) {
          throw new IllegalArgumentException("name '" + name + "' is both a tensor and a string");
        }
      }
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
      strings = Collections.unmodifiableMap(new LinkedHashMap<>(strings));
    }

    /**
     * The tensor named {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public Tensor tensor(String name) {
      Tensor t = tensors.get(name);
      if (t == null) {
        throw new IllegalArgumentException(
            "no array named '" + name + "'; arrays: " + tensors.keySet());
      }
      return t;
    }

    /**
     * The string named {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public String string(String name) {
      String s = strings.get(name);
      if (s == null) {
        throw new IllegalArgumentException(
            "no string named '" + name + "'; strings: " + strings.keySet());
      }
      return s;
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes an uncompressed archive (as {@code np.savez}); see {@link #write(OutputStream, Map, Map,
   * Compression)}.
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> strings)
      throws IOException {
    write(file, tensors, strings, Compression.STORED);
  }

  /**
   * Writes an archive to {@code file} (replacing it); see {@link #write(OutputStream, Map, Map,
   * Compression)}.
   */
  public static void write(
      Path file, Map<String, Tensor> tensors, Map<String, String> strings, Compression compression)
      throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      write(out, tensors, strings, compression);
    }
  }

  /**
   * Writes an archive: the tensors in map order, then the strings, each as member {@code
   * <name>.npy}. Does not close {@code out}.
   *
   * @param out where to write
   * @param tensors arrays by name (names non-empty, without NUL)
   * @param strings strings by name (names distinct from the tensors'; values without NUL)
   * @param compression how to store the members
   */
  public static void write(
      OutputStream out,
      Map<String, Tensor> tensors,
      Map<String, String> strings,
      Compression compression)
      throws IOException {
    Contents contents = new Contents(tensors, strings); // checks distinct names
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
      putMember(zip, e.getKey(), npy(e.getValue()), compression);
    }
    for (Map.Entry<String, String> e : contents.strings().entrySet()) {
      putMember(zip, e.getKey(), npy(e.getKey(), e.getValue()), compression);
    }
    zip.finish();
  }

  private static void putMember(ZipOutputStream zip, String name, byte[] data, Compression c)
      throws IOException {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("array name '" + name + "' is empty or holds NUL");
    }
    ZipEntry entry = new ZipEntry(name + SUFFIX);
    entry.setTime(0L); // reproducible archives
    if (c == Compression.STORED) {
      CRC32 crc = new CRC32();
      crc.update(data);
      entry.setMethod(ZipEntry.STORED);
      entry.setSize(data.length);
      entry.setCompressedSize(data.length);
      entry.setCrc(crc.getValue());
    } else {
      entry.setMethod(ZipEntry.DEFLATED);
    }
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }

  /** One tensor as {@code .npy} bytes (version 1.0, C order, little-endian). */
  static byte[] npy(Tensor t) {
    boolean f32 = t.dtype() == DType.FLOAT32;
    byte[] header = header(f32 ? "<f4" : "<f8", t.shape());
    ByteBuffer buf =
        ByteBuffer.allocate(header.length + t.size() * (f32 ? 4 : 8))
            .order(ByteOrder.LITTLE_ENDIAN);
    buf.put(header);
    if (f32) {
      buf.asFloatBuffer().put(t.f32());
    } else {
      buf.asDoubleBuffer().put(t.f64());
    }
    return buf.array();
  }

  /** One string as a 0-d {@code <U n} {@code .npy} (UTF-32LE, n = its code points, at least 1). */
  static byte[] npy(String name, String s) {
    int[] codePoints = s.codePoints().toArray();
    for (int cp : codePoints) {
      if (cp == 0) {
        throw new IllegalArgumentException("string '" + name + "' holds NUL, which numpy drops");
      }
    }
    int n = Math.max(1, codePoints.length);
    byte[] header = header("<U" + n, new int[0]);
    ByteBuffer buf = ByteBuffer.allocate(header.length + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(header);
    for (int cp : codePoints) {
      buf.putInt(cp);
    }
    return buf.array();
  }

  private static byte[] header(String descr, int[] shape) {
    StringBuilder dict =
        new StringBuilder("{'descr': '")
            .append(descr)
            .append("', 'fortran_order': False, 'shape': ")
            .append(Tensor.shapeString(shape))
            .append(", }");
    // magic (6) + version (2) + length (2) + dict + padding + '\n' is a multiple of ALIGN.
    int unpadded = MAGIC.length + 4 + dict.length() + 1;
    int pad = (ALIGN - unpadded % ALIGN) % ALIGN;
    dict.append(" ".repeat(pad)).append('\n');
    byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + text.length);
    buf.order(ByteOrder.LITTLE_ENDIAN).put(MAGIC).put((byte) 1).put((byte) 0);
    buf.putShort((short) text.length).put(text);
    return buf.array();
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads an archive from a file, verifying every member's CRC-32 (as numpy's {@code zipfile}
   * does).
   *
   * @throws IllegalArgumentException in one line naming the file (and member) if the file is not a
   *     zip archive, is truncated, a member fails its CRC-32 check or is not a supported {@code
   *     .npy} array
   * @throws IOException if the file cannot be read
   */
  public static Contents read(Path file) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> strings = new LinkedHashMap<>();
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw notAnArchive(file.toString(), e);
    }
    try (zip) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (e.isDirectory()) {
          continue;
        }
        String where = file + "!" + e.getName();
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
          bytes = in.readAllBytes();
        } catch (ZipException | EOFException ex) {
          throw new IllegalArgumentException(
              where + ": corrupt zip member (" + ex.getMessage() + ")", ex);
        }
        checkCrc(where, e, bytes);
        readMember(where, e.getName(), bytes, tensors, strings);
      }
    }
    return new Contents(tensors, strings);
  }

  /**
   * Reads an archive from a stream (not closed), e.g. a resource or a remote file; every member's
   * CRC-32 is verified.
   *
   * @throws IllegalArgumentException if the stream is not a zip archive, is truncated, a member
   *     fails its CRC-32 check or is not a supported {@code .npy} array
   * @throws IOException if the stream cannot be read
   */
  public static Contents read(InputStream in) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> strings = new LinkedHashMap<>();
    ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in, 1 << 16));
    String current = null;
    try {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (!e.isDirectory()) {
          current = e.getName();
          byte[] bytes = zip.readAllBytes(); // ZipInputStream checks the CRC-32 at the member's end
          readMember(e.getName(), e.getName(), bytes, tensors, strings);
          current = null;
        }
      }
    } catch (ZipException | EOFException e) {
      if (current != null) {
        throw new IllegalArgumentException(
            current + ": corrupt zip member (" + e.getMessage() + ")", e);
      }
      throw notAnArchive("stream", e);
    }
    if (tensors.isEmpty() && strings.isEmpty()) {
      throw new IllegalArgumentException("stream: not an .npz archive (no zip members found)");
    }
    return new Contents(tensors, strings);
  }

  private static void checkCrc(String where, ZipEntry e, byte[] bytes) {
    long expected = e.getCrc();
    if (expected == -1) {
      return; // no CRC recorded (not written by numpy or by us)
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (crc.getValue() != expected) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s: CRC-32 mismatch (stored %08x, data %08x): the file is corrupt; re-save or"
                  + " re-download it",
              where,
              expected,
              crc.getValue()));
    }
  }

  private static IllegalArgumentException notAnArchive(String where, IOException e) {
    return new IllegalArgumentException(
        where
            + ": not a readable .npz archive (truncated or not a zip file: "
            + e.getMessage()
            + ")",
        e);
  }

  private static void readMember(
      String where,
      String member,
      byte[] bytes,
      Map<String, Tensor> tensors,
      Map<String, String> strings) {
    if (!member.endsWith(SUFFIX)) {
      throw new IllegalArgumentException(where + ": not a .npy member");
    }
    String name = member.substring(0, member.length() - SUFFIX.length());
    if (tensors.containsKey(name) || strings.containsKey(name)) {
      throw new IllegalArgumentException(where + ": a second array named '" + name + "'");
    }
    Object value = readNpy(where, bytes);
    if (value instanceof String s) {
      strings.put(name, s);
    } else {
      tensors.put(name, (Tensor) value);
    }
  }

  /** Parses one {@code .npy} file: a {@link Tensor} or, for a 0-d unicode array, a String. */
  static Object readNpy(String where, byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < MAGIC.length + 4) {
      throw new IllegalArgumentException(
          where + ": not a .npy file (only " + bytes.length + " bytes)");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new IllegalArgumentException(where + ": not a .npy file (bad magic string)");
      }
    }
    int major = bytes[6];
    buf.position(8);
    long headerLength;
    if (major == 1) {
      headerLength = buf.getShort() & 0xFFFF;
    } else if (major == 2 || major == 3) {
      headerLength = buf.getInt() & 0xFFFFFFFFL;
    } else {
      throw new IllegalArgumentException(
          where + ": .npy format version " + major + " is not supported (1.0–3.0 are)");
    }
    int start = buf.position();
    if (start + headerLength > bytes.length) {
      throw new IllegalArgumentException(where + ": .npy header runs past the end of the file");
    }
    String header =
        new String(
            bytes,
            start,
            (int) headerLength,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Map<String, Object> dict = new HeaderParser(where, header).dict();
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shapeObj = dict.get("shape");
    if (!(descr instanceof String descrText)
        || !(fortran instanceof Boolean fortranOrder)
        || !(shapeObj instanceof List<?> dims)) {
      throw new IllegalArgumentException(
          where
              + ": .npy header lacks descr, fortran_order or shape, or has a structured dtype: "
              + header.strip());
    }
    int[] shape = shape(where, dims);
    long count = 1;
    for (int s : shape) {
      count *= s;
    }
    if (fortranOrder && countAbove1(shape) >= 2) {
      throw new IllegalArgumentException(
          where + ": Fortran-order arrays are not supported; save np.ascontiguousarray(a) instead");
    }
    int dataStart = start + (int) headerLength;
    return decode(where, descrText, shape, count, buf.position(dataStart).slice());
  }

  private static Object decode(
      String where, String descr, int[] shape, long count, ByteBuffer data) {
    data.order(ByteOrder.LITTLE_ENDIAN);
    if (descr.length() < 3) {
      throw unsupported(where, descr);
    }
    char order = descr.charAt(0);
    char kind = descr.charAt(1);
    int itemSize;
    try {
      itemSize = Integer.parseInt(descr.substring(2));
    } catch (NumberFormatException e) {
      throw unsupported(where, descr);
    }
    if (order == '>' && itemSize > 1) {
      throw new IllegalArgumentException(
          where
              + ": big-endian dtype "
              + descr
              + " is not supported; save a.astype('<"
              + descr.substring(1)
              + "') instead");
    }
    if (order != '<' && order != '|' && order != '=' && !(order == '>' && itemSize == 1)) {
      throw unsupported(where, descr);
    }
    if (kind == 'U') {
      if (shape.length != 0) {
        throw new IllegalArgumentException(
            where
                + ": unicode arrays of shape "
                + Tensor.shapeString(shape)
                + " are not supported, only 0-d strings");
      }
      checkLength(where, data, 4L * itemSize);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < itemSize; i++) {
        sb.appendCodePoint(data.getInt());
      }
      // numpy drops trailing NULs: they pad a string shorter than its dtype.
      int end = sb.length();
      while (end > 0 && sb.charAt(end - 1) == '\0') {
        end--;
      }
      return sb.substring(0, end);
    }
    String type = "" + kind + itemSize;
    int n = (int) count;
    switch (type) {
      case "f4" -> {
        checkLength(where, data, 4L * n);
        float[] x = new float[n];
        data.asFloatBuffer().get(x);
        return Tensor.wrap(x, shape);
      }
      case "f8" -> {
        checkLength(where, data, 8L * n);
        double[] x = new double[n];
        data.asDoubleBuffer().get(x);
        return Tensor.wrap(x, shape);
      }
      case "i4" -> {
        checkLength(where, data, 4L * n);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] = data.getInt();
        }
        return Tensor.wrap(x, shape);
      }
      case "i8" -> {
        checkLength(where, data, 8L * n);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          long v = data.getLong();
          if (Math.abs(v) > 1L << 53) {
            throw new IllegalArgumentException(
                where + ": int64 element " + i + " = " + v + " is not exact as a double");
          }
          x[i] = v;
        }
        return Tensor.wrap(x, shape);
      }
      case "u1", "i1", "b1" -> {
        checkLength(where, data, n);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
          byte b = data.get();
          x[i] = kind == 'i' ? b : b & 0xFF;
        }
        return Tensor.wrap(x, shape);
      }
      default -> throw unsupported(where, descr);
    }
  }

  private static void checkLength(String where, ByteBuffer data, long expected) {
    if (data.remaining() != expected) {
      throw new IllegalArgumentException(
          where + ": .npy data holds " + data.remaining() + " bytes, expected " + expected);
    }
  }

  private static IllegalArgumentException unsupported(String where, String descr) {
    String hint =
        descr.contains("O")
            ? "object arrays need pickle, which is not supported"
            : "supported: <f4, <f8, <i4, <i8, |u1, |i1, |b1 and 0-d <U strings";
    return new IllegalArgumentException(
        where + ": dtype " + descr + " is not supported (" + hint + "); save a.astype('<f8')");
  }

  private static int[] shape(String where, List<?> dims) {
    int[] shape = new int[dims.size()];
    long size = 1;
    for (int i = 0; i < shape.length; i++) {
      long d = (Long) dims.get(i);
      size *= Math.max(d, 1);
      if (d < 0 || d > Integer.MAX_VALUE || size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(where + ": shape " + dims + " is too large");
      }
      shape[i] = (int) d;
    }
    return shape;
  }

  private static int countAbove1(int[] shape) {
    int n = 0;
    for (int s : shape) {
      n += s > 1 ? 1 : 0;
    }
    return n;
  }

  /** Parses the header's Python literal: a dict of str keys to str, bool or tuple-of-int values. */
  private static final class HeaderParser {
    private final String where;
    private final String s;
    private int pos;

    HeaderParser(String where, String s) {
      this.where = where;
      this.s = s;
    }

    Map<String, Object> dict() {
      expect('{');
      Map<String, Object> map = new LinkedHashMap<>();
      while (peek() != '}') {
        String key = string();
        expect(':');
        map.put(key, value());
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw error("expected ',' or '}'");
        }
      }
      pos++;
      return map;
    }

    private Object value() {
      char c = peek();
      if (c == '\'' || c == '"') {
        return string();
      }
      if (c == '(') {
        pos++;
        List<Long> dims = new ArrayList<>();
        while (peek() != ')') {
          dims.add(integer());
          if (peek() == ',') {
            pos++;
          } else if (peek() != ')') {
            throw error("expected ',' or ')'");
          }
        }
        pos++;
        return dims;
      }
      if (s.startsWith("True", pos)) {
        pos += 4;
        return true;
      }
      if (s.startsWith("False", pos)) {
        pos += 5;
        return false;
      }
      if (c == '[') {
        throw error("structured dtypes are not supported");
      }
      throw error("unexpected '" + c + "'");
    }

    private String string() {
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw error("expected a quoted string");
      }
      int end = s.indexOf(quote, pos + 1);
      if (end < 0) {
        throw error("unterminated string");
      }
      String value = s.substring(pos + 1, end);
      pos = end + 1;
      return value;
    }

    private long integer() {
      peek();
      int start = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw error("expected a dimension");
      }
      if (pos - start > 18) {
        throw error("dimension too large");
      }
      long v = Long.parseLong(s.substring(start, pos));
      if (pos < s.length() && s.charAt(pos) == 'L') {
        pos++; // Python 2 long literal
      }
      return v;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    /** The next non-blank character (not consumed), or NUL at the end. */
    private char peek() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          where + ": bad .npy header (" + what + " at " + pos + "): " + s.strip());
    }
  }
}
