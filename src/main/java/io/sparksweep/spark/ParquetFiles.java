package io.sparksweep.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a few rows as one Parquet file with a name chosen by the caller, from the driver, without
 * a Spark job — what lets a search record each trial the moment it finishes, in a file whose name
 * is a function of the trial (so writing it again replaces it instead of adding a duplicate).
 *
 * <p>Atomicity: the file is written under a hidden temporary name ({@code .<name>.<uuid>.tmp} in
 * the same folder; Spark's file listing skips names that start with {@code .} or {@code _}) and
 * then renamed into place, so a reader lists either no file or the whole file, never part of one.
 * On a local warehouse ({@code file:}) the rename is {@link Files#move} with {@code ATOMIC_MOVE},
 * which also replaces an existing file atomically (POSIX {@code rename(2)}); elsewhere (HDFS, S3A)
 * it is Hadoop's {@link FileSystem#rename}, and replacing an existing file deletes it first.
 *
 * <p>The Parquet schema is the one Spark itself writes for the column types the results tables use
 * (string, int, bigint, double, timestamp as INT64 TIMESTAMP(MICROS, UTC), array&lt;int&gt; as a
 * standard three-level LIST), and the Spark schema is stored under Spark's own footer key, so Spark
 * reads these files exactly like the ones it wrote.
 */
final class ParquetFiles {
  /** The footer key under which Spark stores a file's Spark SQL schema (JSON). */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  private ParquetFiles() {}

  /**
   * Writes {@code rows} as the Parquet file {@code <folderUri>/<fileName>}, atomically, replacing a
   * file of that name; creates the folder if needed.
   *
   * @param hadoopConf Hadoop settings for non-local file systems (the session's)
   * @param folderUri a folder URI ({@code file:/…}, {@code hdfs://…}, …)
   * @param fileName the file's name, not starting with {@code .} or {@code _}
   * @param schema the rows' schema: string, int, bigint, double, timestamp and array&lt;int&gt;
   *     columns only
   * @param rows the rows; an empty list writes a file of no rows
   * @throws UncheckedIOException if the file cannot be written
   */
  static void write(
      Configuration hadoopConf,
      String folderUri,
      String fileName,
      StructType schema,
      List<Row> rows) {
    if (fileName.startsWith(".") || fileName.startsWith("_") || fileName.contains("/")) {
      throw new IllegalArgumentException(
          "fileName is '" + fileName + "', expected a visible name without '/'");
    }
    MessageType type = parquetSchema(schema);
    URI folder = URI.create(folderUri);
    String tmpName = "." + fileName + "." + UUID.randomUUID() + ".tmp";
    try {
      if ("file".equals(folder.getScheme())) {
        Path dir = Path.of(folder);
        Files.createDirectories(dir);
        Path tmp = dir.resolve(tmpName);
        try {
          writeTo(new LocalOutputFile(tmp), hadoopConf, type, schema, rows);
          moveIntoPlace(tmp, dir.resolve(fileName));
        } finally {
          Files.deleteIfExists(tmp);
        }
      } else {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(folderUri);
        FileSystem fs = dir.getFileSystem(hadoopConf);
        fs.mkdirs(dir);
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(dir, tmpName);
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir, fileName);
        try {
          writeTo(HadoopOutputFile.fromPath(tmp, hadoopConf), hadoopConf, type, schema, rows);
          if (!fs.rename(tmp, target)) {
            if (!fs.exists(target) || !fs.delete(target, false) || !fs.rename(tmp, target)) {
              throw new IOException("cannot rename " + tmp + " to " + target);
            }
          }
        } finally {
          if (fs.exists(tmp)) {
            fs.delete(tmp, false);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + folderUri + "/" + fileName, e);
    }
  }

  /**
   * Deletes {@code <folderUri>/<fileName>} if it exists.
   *
   * @return whether a file was deleted
   */
  static boolean delete(Configuration hadoopConf, String folderUri, String fileName) {
    try {
      URI folder = URI.create(folderUri);
      if ("file".equals(folder.getScheme())) {
        return Files.deleteIfExists(Path.of(folder).resolve(fileName));
      }
      org.apache.hadoop.fs.Path file =
          new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(folderUri), fileName);
      FileSystem fs = file.getFileSystem(hadoopConf);
      return fs.exists(file) && fs.delete(file, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + folderUri + "/" + fileName, e);
    }
  }

  private static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void writeTo(
      OutputFile file,
      Configuration hadoopConf,
      MessageType type,
      StructType schema,
      List<Row> rows)
      throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(file)
            .withConf(hadoopConf)
            .withType(type)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
            .withExtraMetaData(Map.of(SPARK_SCHEMA_KEY, schema.json()))
            .build()) {
      StructField[] fields = schema.fields();
      for (Row row : rows) {
        Group g = groups.newGroup();
        for (int i = 0; i < fields.length; i++) {
          Object v = row.get(i);
          if (v == null) {
            if (!fields[i].nullable()) {
              throw new IllegalArgumentException(
                  "column " + fields[i].name() + " is null, expected a value");
            }
            continue;
          }
          add(g, i, fields[i].dataType(), v);
        }
        writer.write(g);
      }
    }
  }

  private static void add(Group g, int field, DataType type, Object v) {
    if (type.equals(DataTypes.StringType)) {
      g.add(field, (String) v);
    } else if (type.equals(DataTypes.IntegerType)) {
      g.add(field, (Integer) v);
    } else if (type.equals(DataTypes.LongType)) {
      g.add(field, (Long) v);
    } else if (type.equals(DataTypes.DoubleType)) {
      g.add(field, (Double) v);
    } else if (type.equals(DataTypes.TimestampType)) {
      g.add(field, micros(v));
    } else if (type instanceof ArrayType a && a.elementType().equals(DataTypes.IntegerType)) {
      Group list = g.addGroup(field);
      for (int x : intArray(v)) {
        list.addGroup(0).add(0, x);
      }
    } else {
      throw new IllegalArgumentException("cannot write a column of type " + type.simpleString());
    }
  }

  private static long micros(Object v) {
    Instant t =
        v instanceof java.sql.Timestamp ts ? ts.toInstant() : (Instant) v; // either Spark API
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  private static int[] intArray(Object v) {
    if (v instanceof int[] a) {
      return a;
    }
    if (v instanceof List<?> l) {
      return l.stream().mapToInt(x -> (Integer) x).toArray();
    }
    if (v instanceof scala.collection.Seq<?> s) {
      return scala.jdk.javaapi.CollectionConverters.asJava(s).stream()
          .mapToInt(x -> (Integer) x)
          .toArray();
    }
    throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as a list");
  }

  /**
   * The Parquet schema Spark writes for {@code schema} (root named {@code spark_schema}).
   *
   * @param schema columns of the types listed on {@link #write}
   */
  static MessageType parquetSchema(StructType schema) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (StructField f : schema.fields()) {
      message.addField(field(f));
    }
    return message.named("spark_schema");
  }

  private static Type field(StructField f) {
    Type.Repetition repetition = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    DataType t = f.dataType();
    if (t.equals(DataTypes.StringType)) {
      return Types.primitive(PrimitiveTypeName.BINARY, repetition)
          .as(LogicalTypeAnnotation.stringType())
          .named(f.name());
    } else if (t.equals(DataTypes.IntegerType)) {
      return Types.primitive(PrimitiveTypeName.INT32, repetition).named(f.name());
    } else if (t.equals(DataTypes.LongType)) {
      return Types.primitive(PrimitiveTypeName.INT64, repetition).named(f.name());
    } else if (t.equals(DataTypes.DoubleType)) {
      return Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(f.name());
    } else if (t.equals(DataTypes.TimestampType)) {
      return Types.primitive(PrimitiveTypeName.INT64, repetition)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
          .named(f.name());
    } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.IntegerType)) {
      Type.Repetition element =
          a.containsNull() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
      return Types.buildGroup(repetition)
          .as(LogicalTypeAnnotation.listType())
          .addField(
              Types.repeatedGroup()
                  .addField(Types.primitive(PrimitiveTypeName.INT32, element).named("element"))
                  .named("list"))
          .named(f.name());
    }
    throw new IllegalArgumentException(
        "column " + f.name() + " has type " + t.simpleString() + ", which cannot be written");
  }
}
