package dev.homelab.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Random strings that match a JSON Schema {@code pattern}, for the subset of regular expressions
 * /openapi.json uses: anchors, groups with alternation, classes with ranges and negation, the
 * escapes {@code \s \S \d \w \\uXXXX \p{L} \p{N}}, and the quantifiers {@code ? * + {m,n}}.
 * Repetitions favour short strings but now and then take the largest count, so that limits get
 * exercised too.
 */
final class PatternSamples {

  /** What negated classes and {@code \S} pick from: printable ASCII and a few wider characters. */
  private static final int[] POOL = pool();

  private final Random random;

  PatternSamples(Random random) {
    this.random = random;
  }

  /**
   * @param regex the pattern
   * @return a string that {@code regex} finds, or {@code null} if none was produced
   */
  String sample(String regex) {
    Node node = new Parser(regex).parse();
    Pattern compiled = Pattern.compile(regex);
    for (int attempt = 0; attempt < 20; attempt++) {
      StringBuilder out = new StringBuilder();
      node.generate(out);
      if (compiled.matcher(out).find()) {
        return out.toString();
      }
    }
    return null;
  }

  private static int[] pool() {
    List<Integer> chars = new ArrayList<>();
    for (int c = 0x20; c < 0x7f; c++) {
      chars.add(c);
    }
    for (int c : new int[] {0xe9, 0x5d0, 0x627, 0x4e2d, 0x1f600, 0x301, 0xa0, 0x2028}) {
      chars.add(c);
    }
    return chars.stream().mapToInt(Integer::intValue).toArray();
  }

  private interface Node {
    void generate(StringBuilder out);
  }

  private final class Parser {
    private final String regex;
    private int at;

    Parser(String regex) {
      this.regex = regex;
    }

    Node parse() {
      Node node = alternation();
      if (at != regex.length()) {
        throw new IllegalArgumentException("unsupported pattern " + regex + " at " + at);
      }
      return node;
    }

    private Node alternation() {
      List<Node> branches = new ArrayList<>();
      branches.add(sequence());
      while (at < regex.length() && regex.charAt(at) == '|') {
        at++;
        branches.add(sequence());
      }
      return branches.size() == 1
          ? branches.get(0)
          : out -> branches.get(random.nextInt(branches.size())).generate(out);
    }

    private Node sequence() {
      List<Node> items = new ArrayList<>();
      while (at < regex.length() && regex.charAt(at) != '|' && regex.charAt(at) != ')') {
        Node atom = atom();
        items.add(quantified(atom));
      }
      return out -> items.forEach(item -> item.generate(out));
    }

    private Node atom() {
      char c = regex.charAt(at++);
      switch (c) {
        case '^', '$' -> {
          return out -> {};
        }
        case '(' -> {
          if (regex.startsWith("?:", at)) {
            at += 2;
          }
          Node inner = alternation();
          expect(')');
          return inner;
        }
        case '[' -> {
          return charClass();
        }
        case '.' -> {
          return chars(ch -> ch != '\n');
        }
        case '\\' -> {
          IntPredicate escaped = escape();
          return chars(escaped);
        }
        default -> {
          return out -> out.append(c);
        }
      }
    }

    private Node quantified(Node atom) {
      if (at >= regex.length()) {
        return atom;
      }
      char c = regex.charAt(at);
      int min;
      int max;
      if (c == '?') {
        min = 0;
        max = 1;
      } else if (c == '*') {
        min = 0;
        max = -1;
      } else if (c == '+') {
        min = 1;
        max = -1;
      } else if (c == '{') {
        int close = regex.indexOf('}', at);
        String[] bounds = regex.substring(at + 1, close).split(",", -1);
        min = Integer.parseInt(bounds[0]);
        max = bounds.length == 1 ? min : bounds[1].isEmpty() ? -1 : Integer.parseInt(bounds[1]);
        at = close;
      } else {
        return atom;
      }
      at++;
      int low = min;
      int high = max < 0 ? min + 4 : max;
      return out -> {
        int count;
        int roll = random.nextInt(10);
        if (roll == 0) {
          count = high;
        } else if (roll == 1) {
          count = low;
        } else {
          count = low + random.nextInt(Math.min(high - low, 6) + 1);
        }
        for (int i = 0; i < count; i++) {
          atom.generate(out);
        }
      };
    }

    private Node charClass() {
      boolean negated = at < regex.length() && regex.charAt(at) == '^';
      if (negated) {
        at++;
      }
      IntPredicate members = ch -> false;
      boolean first = true;
      while (regex.charAt(at) != ']' || first) {
        first = false;
        IntPredicate item;
        if (regex.charAt(at) == '\\') {
          at++;
          int single = singleEscape();
          if (single < 0) {
            item = escapeClass(regex.charAt(at - 1));
          } else {
            item = range(single);
          }
        } else {
          item = range(regex.charAt(at++));
        }
        IntPredicate previous = members;
        members = ch -> previous.test(ch) || item.test(ch);
      }
      at++;
      IntPredicate in = members;
      return chars(negated ? ch -> !in.test(ch) : in);
    }

    /** A character, maybe the start of a range {@code a-z}. */
    private IntPredicate range(int low) {
      if (regex.charAt(at) == '-' && regex.charAt(at + 1) != ']') {
        at++;
        int high;
        if (regex.charAt(at) == '\\') {
          at++;
          high = singleEscape();
        } else {
          high = regex.charAt(at++);
        }
        int top = high;
        return ch -> ch >= low && ch <= top;
      }
      return ch -> ch == low;
    }

    /** After a backslash: a class escape as a predicate. */
    private IntPredicate escape() {
      int single = singleEscape();
      if (single >= 0) {
        return ch -> ch == single;
      }
      return escapeClass(regex.charAt(at - 1));
    }

    /**
     * Reads an escape that stands for one character, or returns -1 for a class escape (left
     * consumed).
     */
    private int singleEscape() {
      char c = regex.charAt(at++);
      switch (c) {
        case 'u' -> {
          int value = Integer.parseInt(regex.substring(at, at + 4), 16);
          at += 4;
          return value;
        }
        case 't' -> {
          return '\t';
        }
        case 'n' -> {
          return '\n';
        }
        case 'r' -> {
          return '\r';
        }
        case 's', 'S', 'd', 'D', 'w', 'W', 'p', 'P' -> {
          return -1;
        }
        default -> {
          return c;
        }
      }
    }

    private IntPredicate escapeClass(char c) {
      IntPredicate space = ch -> " \t\n\u000b\f\r".indexOf(ch) >= 0;
      IntPredicate digit = ch -> ch >= '0' && ch <= '9';
      IntPredicate word = ch -> Character.isLetterOrDigit(ch) && ch < 128 || ch == '_';
      if (c == 'p' || c == 'P') {
        // A Unicode category: \p{L} letters, \p{N} digits and other numbers (as java.util.regex).
        int close = regex.indexOf('}', at);
        String category = regex.substring(at + 1, close);
        at = close + 1;
        IntPredicate member =
            switch (category) {
              case "L" -> Character::isLetter;
              case "N" ->
                  ch -> {
                    int type = Character.getType(ch);
                    return type == Character.DECIMAL_DIGIT_NUMBER
                        || type == Character.LETTER_NUMBER
                        || type == Character.OTHER_NUMBER;
                  };
              default -> throw new IllegalArgumentException("unsupported category " + category);
            };
        return c == 'p' ? member : member.negate();
      }
      return switch (c) {
        case 's' -> space;
        case 'S' -> space.negate();
        case 'd' -> digit;
        case 'D' -> digit.negate();
        case 'w' -> word;
        case 'W' -> word.negate();
        default -> throw new IllegalArgumentException("unsupported escape \\" + c);
      };
    }

    private Node chars(IntPredicate members) {
      int[] candidates = java.util.Arrays.stream(POOL).filter(members).toArray();
      if (candidates.length == 0) {
        throw new IllegalArgumentException("empty class in " + regex);
      }
      return out -> out.appendCodePoint(candidates[random.nextInt(candidates.length)]);
    }

    private void expect(char c) {
      if (at >= regex.length() || regex.charAt(at) != c) {
        throw new IllegalArgumentException("expected " + c + " in " + regex + " at " + at);
      }
      at++;
    }
  }
}
