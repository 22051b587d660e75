package app;

/** A Maven project: refused while Maven Central is unreachable. */
public class Main {
    public static void main(String[] args) {}
}
