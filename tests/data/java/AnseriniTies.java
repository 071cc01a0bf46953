// Generates tests/data/java/anserini_ties.tsv: Anserini's ScoreTiesAdjusterReranker arithmetic
// (float, as in castorini/anserini) on random runs with many ties, printed with "%f" as Anserini's
// run writer does. Run: javac AnseriniTies.java && java AnseriniTies > anserini_ties.tsv
// Each line: run number, then the input scores' float bits (hex, comma-separated), then the printed
// adjusted scores (comma-separated).
import java.util.Locale;
import java.util.Random;

public final class AnseriniTies {
  public static void main(String[] args) {
    Random rng = new Random(7L);
    StringBuilder out = new StringBuilder();
    for (int run = 0; run < 120; ++run) {
      int n = 1 + rng.nextInt(120);
      float[] s = new float[n];
      float cur = 1f + rng.nextFloat() * (run % 2 == 0 ? 40f : 2000f);
      for (int i = 0; i < n; ++i) {
        int r = rng.nextInt(10);
        if (r < 4) { /* exact tie */ } else if (r < 7) cur -= rng.nextFloat() * 2e-4f; else cur -= rng.nextFloat() * 0.5f;
        if (cur < 0) cur = 0;
        s[i] = cur;
      }
      StringBuilder in = new StringBuilder(), adj = new StringBuilder();
      float[] a = s.clone();
      int dup = 0;
      for (int i = 0; i < n; ++i) {
        a[i] = Math.round(a[i] * 1e4f) / 1e4f;
        if (i == 0 || a[i - 1] - a[i] > 1e-4f) dup = 0; else { dup++; a[i] -= 1e-6f * dup; }
        if (i > 0) { in.append(','); adj.append(','); }
        in.append(Integer.toHexString(Float.floatToIntBits(s[i])));
        adj.append(String.format(Locale.US, "%f", a[i]));
      }
      out.append(run).append('\t').append(in).append('\t').append(adj).append('\n');
    }
    System.out.print(out);
  }
}
