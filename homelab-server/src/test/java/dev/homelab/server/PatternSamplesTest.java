package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The samples of a pattern match it, Unicode categories included. */
class PatternSamplesTest {

  @Test
  void unicodeCategoriesAreSampledFromTheirMembers() {
    PatternSamples samples = new PatternSamples(new Random(7));
    String tag = "^\\s*[\\p{L}\\p{N}_.:-]([\\p{L}\\p{N} _.:-]{0,62}[\\p{L}\\p{N}_.:-])?\\s*$";
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String sample = samples.sample(tag);
      assertThat(sample).matches(Pattern.compile(tag));
      sample.codePoints().forEach(seen::add);
    }
    assertThat(seen).as("letters beyond ASCII").contains(0xe9, 0x4e2d);
    assertThat(samples.sample("^\\P{L}+$")).matches("^\\P{L}+$");
  }
}
