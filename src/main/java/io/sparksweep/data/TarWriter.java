package io.sparksweep.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal POSIX ustar writer (regular files and folders, names up to 100 bytes), enough to write
 * CIFAR-format tarballs for tests and demos. Does not close the underlying stream.
 */
final class TarWriter {
  private static final int BLOCK = TarReader.BLOCK;

  private final OutputStream out;

  TarWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes a folder member; {@code name} should end in {@code /}. */
  void folder(String name) throws IOException {
    out.write(header(name, '5', 0, "0000755"));
  }

  /** Writes a regular-file member holding {@code data}. */
  void file(String name, byte[] data) throws IOException {
    out.write(header(name, '0', data.length, "0000644"));
    out.write(data);
    out.write(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
  }

  /** Writes the two zero blocks that end an archive. */
  void finish() throws IOException {
    out.write(new byte[2 * BLOCK]);
  }

  private static byte[] header(String name, char type, long size, String mode) {
    byte[] h = new byte[BLOCK];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > 100) {
      throw new IllegalArgumentException("tar member name longer than 100 bytes: " + name);
    }
    System.arraycopy(n, 0, h, 0, n.length);
    put(h, 100, mode + "\0");
    put(h, 108, "0000000\0"); // uid
    put(h, 116, "0000000\0"); // gid
    put(h, 124, String.format("%011o\0", size));
    put(h, 136, "00000000000\0"); // mtime: fixed, so archives are reproducible
    h[156] = (byte) type;
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    // The checksum is computed with its own field read as eight spaces.
    put(h, 148, "        ");
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xFF;
    }
    put(h, 148, String.format("%06o\0 ", sum));
    return h;
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }
}
