// Generates tests/data/java/float_format.tsv: how Java formats floats in TREC runs, the reference
// for tandem's Anserini-compatible run writer. Run: javac JavaFloatFormat.java && java JavaFloatFormat > float_format.tsv
// Columns: float bits (hex), String.format(Locale.US, "%f", f), Anserini-adjusted score of a tie run.
import java.util.Locale;
import java.util.Random;

public final class JavaFloatFormat {
  public static void main(String[] args) {
    Random rng = new Random(20261128L);
    StringBuilder out = new StringBuilder();
    float[] special = {0f, 1f, 0.0078125f, 0.0625f, 6.5988f, 22.087432f, 1e-7f, 123456.789f, 0.5f, 2.5e-6f, 99.99995f};
    for (float f : special) line(out, f);
    for (int i = 0; i < 1500; ++i) {
      float f;
      switch (i % 3) {
        case 0: f = rng.nextFloat() * 30f; break;                  // BM25-like scores
        case 1: f = Math.round(rng.nextFloat() * 3e5f) / 1e4f; break;  // already rounded to 4 decimals
        default: f = Float.intBitsToFloat(0x3c000000 + rng.nextInt(0x05000000)); break;  // wide range
      }
      line(out, f);
    }
    System.out.print(out);
  }

  static void line(StringBuilder out, float f) {
    out.append(Integer.toHexString(Float.floatToIntBits(f))).append('\t')
       .append(String.format(Locale.US, "%f", f)).append('\n');
  }
}
