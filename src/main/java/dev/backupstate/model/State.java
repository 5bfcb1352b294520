package dev.backupstate.model;

/** A state of a resource of the matrix. Each resource kind has its own enum of them. */
public interface State extends Labelled {
}
