package io.sparksweep.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal streaming reader of POSIX ustar / GNU tar archives, enough for the CIFAR-10 tarball:
 * regular files and folders, GNU long names ({@code L}) and pax {@code path} records ({@code x});
 * header checksums are verified. Links and devices are reported with their type and skipped by the
 * callers. Not thread-safe; does not close the underlying stream.
 */
final class TarReader {
  /** Tar block size. */
  static final int BLOCK = 512;

  /** One archive member. */
  record Entry(String name, char type, long size) {
    /** Whether this member is a regular file. */
    boolean isFile() {
      return type == '0' || type == '\0' || type == '7';
    }
  }

  private final InputStream in;
  private final String archive;
  private final byte[] header = new byte[BLOCK];
  private long remaining; // unread data bytes of the current entry
  private long padding; // padding bytes after the current entry's data

  /**
   * @param in the uncompressed tar stream
   * @param archive the archive's name, for messages
   */
  TarReader(InputStream in, String archive) {
    this.in = in;
    this.archive = archive;
  }

  /**
   * Advances to the next member, skipping whatever of the current one was not read.
   *
   * @return the member, or {@code null} at the end of the archive
   * @throws DataException if a header is damaged or the archive ends inside a member
   */
  Entry next() throws IOException {
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
    String longName = null;
    while (true) {
      int n = in.readNBytes(header, 0, BLOCK);
      if (n == 0) {
        return null; // no end-of-archive blocks: tolerated, as GNU tar does
      }
      if (n < BLOCK) {
        throw truncated();
      }
      if (isZero(header)) {
        return null;
      }
      verifyChecksum();
      char type = (char) (header[156] & 0xFF);
      long size = parseNumber(124, 12, "size");
      String name = headerName();
      if (type == 'L' || type == 'x') {
        byte[] data = readData(size);
        if (type == 'L') {
          longName = cString(data, 0, data.length);
        } else {
          String path = paxPath(data);
          if (path != null) {
            longName = path;
          }
        }
        continue;
      }
      if (type == 'g' || type == 'K') {
        readData(size);
        continue;
      }
      // Only files and their kin carry data; a folder's or link's size field is advisory.
      long dataSize = type == '0' || type == '\0' || type == '7' ? size : 0;
      remaining = dataSize;
      padding = (BLOCK - dataSize % BLOCK) % BLOCK;
      return new Entry(longName != null ? longName : name, type, size);
    }
  }

  /**
   * Reads up to {@code len} bytes of the current member's data.
   *
   * @return the number of bytes read, or -1 at the end of the member
   */
  int read(byte[] b, int off, int len) throws IOException {
    if (remaining == 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw truncated();
    }
    remaining -= n;
    return n;
  }

  /** Reads exactly {@code len} bytes of the current member's data, or fails. */
  void readFully(byte[] b, int off, int len) throws IOException {
    if (len > remaining || in.readNBytes(b, off, len) < len) {
      throw truncated();
    }
    remaining -= len;
  }

  private byte[] readData(long size) throws IOException {
    if (size > 1 << 20) {
      throw damaged("extended header of " + size + " bytes");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw truncated();
    }
    skipFully((BLOCK - size % BLOCK) % BLOCK);
    return data;
  }

  private void skipFully(long n) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (EOFException e) {
      throw truncated();
    }
  }

  private String headerName() {
    String name = cString(header, 0, 100);
    boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't';
    if (ustar) {
      String prefix = cString(header, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private void verifyChecksum() {
    long stored = parseNumber(148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = i >= 148 && i < 156 ? (byte) ' ' : header[i];
      unsigned += b & 0xFF;
      signed += b;
    }
    if (stored != unsigned && stored != signed) {
      throw damaged("header checksum is " + stored + ", computed " + unsigned);
    }
  }

  /** An octal field (NUL/space padded), or a base-256 one when its first byte has bit 7 set. */
  private long parseNumber(int off, int len, String field) {
    if ((header[off] & 0x80) != 0) {
      long v = header[off] & 0x7F;
      for (int i = off + 1; i < off + len; i++) {
        v = (v << 8) | (header[i] & 0xFF);
      }
      return v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
      int digit = header[i] - '0';
      if (digit < 0 || digit > 7) {
        throw damaged("header field " + field + " is not an octal number");
      }
      v = v * 8 + digit;
    }
    return v;
  }

  /** The {@code path} record of a pax extended header ({@code "<len> path=<value>\n"}). */
  private String paxPath(byte[] data) {
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw damaged("pax header record has no length");
      }
      if (len <= 0 || pos + len > data.length) {
        throw damaged("pax header record of length " + len + " overruns its header");
      }
      String rec = new String(data, space + 1, pos + len - space - 2, StandardCharsets.UTF_8);
      if (rec.startsWith("path=")) {
        return rec.substring(5);
      }
      pos += len;
    }
    return null;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private DataException damaged(String what) {
    return new DataException(
        archive, "not a valid tar archive (" + what + ")", Cifar10Reader.FIX_DAMAGED_ARCHIVE);
  }

  private DataException truncated() {
    return new DataException(
        archive, "the archive ends in the middle of a member", Cifar10Reader.FIX_DAMAGED_ARCHIVE);
  }
}
