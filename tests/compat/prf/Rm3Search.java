// Lucene 8 peer for BM25 + RM3, written for tandem's compatibility test from Anserini's
// io.anserini.rerank.lib.Rm3Reranker and io.anserini.util.FeatureVector (the code paths that run
// with default options: stored term vectors, no tweet search, term filter on). Reads an index
// built by ../shared/peers/lucene's Bm25Index with -docvectors, and reuses that peer's query
// builder, id loader and Anserini tie adjustment (Bm25Search), so it is compiled together with it.
//
// usage: java -cp CP Rm3Search -index DIR -topics FILE -output RUN [-hits 1000] [-fbDocs 10]
//          [-fbTerms 10] [-originalQueryWeight 0.5] [-rerankCutoff 50]

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

public final class Rm3Search {
  // Anserini's FeatureVector over a hash map.
  static final class FV {
    Map<String, Float> f = new HashMap<>();

    void add(String t, float v) { f.merge(t, v, Float::sum); }
    float get(String t) { return f.getOrDefault(t, 0.0f); }

    List<Map.Entry<String, Float>> ordered() {
      List<Map.Entry<String, Float>> l = new ArrayList<>(f.entrySet());
      Collections.sort(l, (x, y) -> {
        if (x.getValue().floatValue() == y.getValue().floatValue()) return x.getKey().compareTo(y.getKey());
        return x.getValue() > y.getValue() ? -1 : 1;
      });
      return l;
    }

    FV prune(int k) {
      Map<String, Float> p = new HashMap<>();
      for (Map.Entry<String, Float> e : ordered()) {
        p.put(e.getKey(), e.getValue());
        if (p.size() >= k) break;
      }
      f = p;
      return this;
    }

    double l1() {
      double n = 0;
      for (float v : f.values()) n += Math.abs(v);
      return n;
    }

    FV scaleL1() {
      double n = l1();
      for (String t : new ArrayList<>(f.keySet())) f.put(t, (float) (f.get(t) / n));
      return this;
    }

    static FV interpolate(FV x, FV y, float w) {
      FV z = new FV();
      Set<String> vocab = new HashSet<>(x.f.keySet());
      vocab.addAll(y.f.keySet());
      for (String t : vocab) z.add(t, (float) (w * x.get(t) + (1.0 - w) * y.get(t)));
      return z;
    }
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = Common.args(argv);
    final int hits = Integer.parseInt(a.getOrDefault("hits", "1000"));
    final int fbDocs = Integer.parseInt(a.getOrDefault("fbDocs", "10"));
    final int fbTerms = Integer.parseInt(a.getOrDefault("fbTerms", "10"));
    final float w = Float.parseFloat(a.getOrDefault("originalQueryWeight", "0.5"));
    final int cutoff = Integer.parseInt(a.getOrDefault("rerankCutoff", "50"));
    final Analyzer analyzer = Common.analyzer("english");
    BooleanQuery.setMaxClauseCount(1 << 16);
    try (IndexReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(a.get("index"))));
         PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(a.get("output")), StandardCharsets.UTF_8))) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity(0.9f, 0.4f));
      String[] ids = Bm25Search.loadIds(reader);
      int numDocs = reader.numDocs();
      for (Common.Record t : Common.readTopics(a.get("topics"))) {
        Query q = Bm25Search.bm25Query(t.text, analyzer);
        if (q == null) continue;
        TopDocs first = searcher.search(q, cutoff, Bm25Search.BREAK_SCORE_TIES_BY_DOCID, true);
        FV qfv = new FV();
        for (String tok : Common.tokenize(analyzer, t.text)) qfv.add(tok, 1.0f);
        qfv.scaleL1();
        // estimateRelevanceModel
        int n = Math.min(first.scoreDocs.length, fbDocs);
        List<FV> docs = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        Set<String> vocab = new HashSet<>();
        for (int i = 0; i < n; i++) {
          FV d = new FV();
          Terms terms = reader.getTermVector(first.scoreDocs[i].doc, Common.FIELD_BODY);
          if (terms != null) {
            TermsEnum te = terms.iterator();
            BytesRef text;
            while ((text = te.next()) != null) {
              String term = text.utf8ToString();
              if (term.length() < 2 || term.length() > 20) continue;
              if (!term.matches("[a-z0-9]+")) continue;
              int df = reader.docFreq(new Term(Common.FIELD_BODY, term));
              float ratio = (float) df / numDocs;
              if (ratio > 0.1f) continue;
              d.add(term, (float) te.totalTermFreq());
            }
          }
          d.prune(fbTerms);
          vocab.addAll(d.f.keySet());
          docs.add(d);
          scores.add(first.scoreDocs[i].score);
        }
        float[] norms = new float[docs.size()];
        for (int i = 0; i < docs.size(); i++) norms[i] = (float) docs.get(i).l1();
        FV rm = new FV();
        for (String term : vocab) {
          float fb = 0.0f;
          for (int i = 0; i < docs.size(); i++) {
            if (norms[i] > 0.001f) fb += (docs.get(i).get(term) / norms[i]) * scores.get(i);
          }
          rm.add(term, fb);
        }
        rm.prune(fbTerms);
        rm.scaleL1();
        FV fin = FV.interpolate(qfv, rm, w);
        BooleanQuery.Builder bq = new BooleanQuery.Builder();
        for (Map.Entry<String, Float> e : fin.f.entrySet()) {
          bq.add(new BoostQuery(new TermQuery(new Term(Common.FIELD_BODY, e.getKey())), e.getValue()),
              BooleanClause.Occur.SHOULD);
        }
        TopDocs rs = searcher.search(bq.build(), hits, Bm25Search.BREAK_SCORE_TIES_BY_DOCID, true);
        float[] s = new float[rs.scoreDocs.length];
        for (int i = 0; i < s.length; i++) s[i] = rs.scoreDocs[i].score;
        double[] adjusted = Bm25Search.adjustTies(s);
        for (int i = 0; i < s.length; i++) {
          out.printf(Locale.ROOT, "%s Q0 %s %d %s lucene-rm3%n", t.id, ids[rs.scoreDocs[i].doc], i + 1,
              String.format(Locale.ROOT, "%.6f", adjusted[i]));
        }
      }
    }
  }
}
