package io.sparksweep.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/**
 * How the command line reports what went wrong: a problem of input or environment (a bad argument,
 * file, grid, data folder, an unreadable or missing path) is one {@code error:} line and exit 2,
 * never a stack trace unless {@code --verbose} is given (or {@code SPARKSWEEP_DEBUG} is set); a
 * usage error is the one relevant line plus a pointer to the command's {@code --help} (not the
 * whole usage); anything else is a bug and keeps its trace (exit 1).
 */
final class UserErrors {
  /** Environment variable that adds stack traces to every error. */
  static final String DEBUG_ENV = "SPARKSWEEP_DEBUG";

  private UserErrors() {}

  /** Installs both handlers on {@code cl}. */
  static void install(CommandLine cl) {
    cl.setExecutionExceptionHandler(UserErrors::execution);
    cl.setParameterExceptionHandler(UserErrors::usage);
  }

  private static int execution(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    String line = userMessage(ex);
    err.println("error: " + (line != null ? line : ex.toString()));
    if (line == null || verbose(parseResult) || System.getenv(DEBUG_ENV) != null) {
      ex.printStackTrace(err);
    }
    err.flush();
    return line != null ? 2 : 1;
  }

  /** Whether {@code --verbose} was given on the command line, at any level. */
  static boolean verbose(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  private static int usage(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The one-line message of a problem of input or environment; null for anything else (a bug). */
  static String userMessage(Throwable ex) {
    if (ex instanceof IllegalArgumentException) {
      return ex.getMessage();
    }
    if (ex instanceof UncheckedIOException u && u.getCause() != null) {
      return userMessage(u.getCause());
    }
    if (ex instanceof NoSuchFileException e) {
      return "no such file or directory: " + e.getFile();
    }
    if (ex instanceof AccessDeniedException e) {
      return "permission denied: " + e.getFile();
    }
    if (ex instanceof FileAlreadyExistsException e) {
      return "already exists: " + e.getFile();
    }
    if (ex instanceof NotDirectoryException e) {
      return "not a directory: " + e.getFile();
    }
    if (ex instanceof FileSystemException e) {
      return e.getMessage();
    }
    if (ex instanceof IOException e) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }
    return null;
  }
}
