package io.sparksweep.data;

/**
 * A data set that cannot be used: a missing folder or file, a file of the wrong size, a bad label,
 * a damaged archive, a failed download or checksum. The message names the file, says what is wrong
 * and how to fix it, e.g. {@code data/cifar-10-batches-bin/data_batch_3.bin: 30729999 bytes,
 * expected 30730000 = 10000 records × 3073 bytes. The file is damaged or incomplete: delete the
 * folder and run `sparksweep data download` again}.
 *
 * <p>It extends {@link IllegalArgumentException} because it always comes from a path or URL the
 * user passed in, so callers that report bad arguments report it too.
 */
public final class DataException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String problem;
  private final String fix;

  /**
   * @param source the file, archive member or URL at fault
   * @param problem what is wrong with it
   * @param fix how to fix it (may be empty)
   */
  public DataException(String source, String problem, String fix) {
    this(source, problem, fix, null);
  }

  /**
   * @param source the file, archive member or URL at fault
   * @param problem what is wrong with it
   * @param fix how to fix it (may be empty)
   * @param cause the underlying exception, or {@code null}
   */
  public DataException(String source, String problem, String fix, Throwable cause) {
    super(source + ": " + problem + (fix.isEmpty() ? "" : ". " + fix), cause);
    this.source = source;
    this.problem = problem;
    this.fix = fix;
  }

  /** The file, archive member or URL at fault. */
  public String source() {
    return source;
  }

  /** What is wrong with it. */
  public String problem() {
    return problem;
  }

  /** How to fix it (may be empty). */
  public String fix() {
    return fix;
  }
}
