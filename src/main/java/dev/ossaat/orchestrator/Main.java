package dev.ossaat.orchestrator;

public final class Main {
  public static void main(String[] args) {
  }
}
