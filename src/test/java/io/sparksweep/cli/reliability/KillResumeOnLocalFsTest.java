package io.sparksweep.cli.reliability;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/** {@link KillResumeContract} with the warehouse (and its runs) on the local file system. */
@Tag("slow")
class KillResumeOnLocalFsTest extends KillResumeContract {
  @Override
  String warehouse(Path tmp) {
    return tmp.resolve("warehouse").toUri().toString();
  }
}
