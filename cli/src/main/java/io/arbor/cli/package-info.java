/**
 * The {@code arbor} command line: operations over the Java client (inspection, tail, export/import,
 * verify) and over JDBC (counts for verify, Liquibase migrations). Each command is a picocli class;
 * {@link io.arbor.cli.ArborCli} wires them.
 */
package io.arbor.cli;
