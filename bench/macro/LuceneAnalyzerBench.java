// Warm single-threaded throughput of Lucene 8.8's analyzers on a JSONL corpus, for comparison with
// bench/micro/analyzer.cpp (same corpus, same text: "contents", else title + " " + text).
//
// The chains are built here as Anserini's DefaultEnglishAnalyzer builds them (StandardTokenizer ->
// EnglishPossessiveFilter -> LowerCaseFilter -> StopFilter(ENGLISH_STOP_WORDS_SET) ->
// PorterStemFilter), and WhitespaceAnalyzer. Each analyzer runs `warmup` passes over the corpus
// for the JIT, then `passes` timed passes; the median pass is reported in thread CPU time (as Google
// Benchmark's CPU column, so that a busy machine does not skew the comparison) and wall time.
//
// usage: java -cp LUCENE_JARS:JACKSON:. LuceneAnalyzerBench CORPUS.jsonl[.gz] [warmup] [passes]
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

public final class LuceneAnalyzerBench {
  static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

  static final class English extends Analyzer {
    private final boolean stem;
    English(boolean stem) { this.stem = stem; }
    @Override
    protected TokenStreamComponents createComponents(String field) {
      Tokenizer source = new StandardTokenizer();
      TokenStream result = new EnglishPossessiveFilter(source);
      result = new LowerCaseFilter(result);
      result = new StopFilter(result, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
      if (stem) result = new PorterStemFilter(result);
      return new TokenStreamComponents(source, result);
    }
  }

  static List<String> readCorpus(String path) throws Exception {
    InputStream in = Files.newInputStream(Paths.get(path));
    if (path.endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
    JsonFactory json = new JsonFactory();
    List<String> texts = new ArrayList<>();
    try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 20)) {
      String line;
      while ((line = br.readLine()) != null) {
        if (line.isBlank()) continue;
        String contents = null, title = null, text = null;
        try (JsonParser p = json.createParser(line)) {
          p.nextToken();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.getCurrentName();
            p.nextToken();
            if (name.equals("contents")) contents = p.getValueAsString();
            else if (name.equals("title")) title = p.getValueAsString();
            else if (name.equals("text")) text = p.getValueAsString();
            else p.skipChildren();
          }
        }
        if (contents != null) texts.add(contents);
        else if (text != null && title != null && !title.isEmpty()) texts.add(title + " " + text);
        else texts.add(text != null ? text : title != null ? title : "");
      }
    }
    return texts;
  }

  static long pass(Analyzer analyzer, List<String> texts) throws Exception {
    long tokens = 0;
    for (String t : texts) {
      try (TokenStream ts = analyzer.tokenStream("contents", t)) {
        CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        while (ts.incrementToken()) {
          tokens += term.length() > 0 ? 1 : 0;
        }
        ts.end();
      }
    }
    return tokens;
  }

  public static void main(String[] args) throws Exception {
    List<String> texts = readCorpus(args[0]);
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    long bytes = 0;
    for (String t : texts) bytes += t.getBytes(StandardCharsets.UTF_8).length;
    String[] names = {"english", "english-nostem", "whitespace"};
    Analyzer[] analyzers = {new English(true), new English(false), new WhitespaceAnalyzer()};
    for (int a = 0; a < analyzers.length; a++) {
      long tokens = 0;
      for (int i = 0; i < warmup; i++) tokens = pass(analyzers[a], texts);
      long[] wall = new long[passes];
      long[] cpu = new long[passes];
      for (int i = 0; i < passes; i++) {
        long t0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        tokens = pass(analyzers[a], texts);
        cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
        wall[i] = System.nanoTime() - t0;
      }
      java.util.Arrays.sort(wall);
      java.util.Arrays.sort(cpu);
      double medianCpu = cpu[passes / 2] / 1e9;
      double medianWall = wall[passes / 2] / 1e9;
      System.out.printf("lucene %-15s %d docs, %.1f MB: median pass %.1f ms CPU (%.1f MB/s, %.2f M tokens/s), "
                            + "%.1f ms wall; best %.1f ms CPU%n",
                        names[a], texts.size(), bytes / 1e6, medianCpu * 1e3, bytes / 1e6 / medianCpu,
                        tokens / 1e6 / medianCpu, medianWall * 1e3, cpu[0] / 1e6);
    }
  }
}
