package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  @Test
  void distanceCountsEditsAndAdjacentSwaps() {
    assertEquals(0, DidYouMean.distance("adam", "adam"));
    assertEquals(1, DidYouMean.distance("lerning_rate", "learning_rate"));
    assertEquals(1, DidYouMean.distance("batchnrom", "batchnorm"));
    assertEquals(3, DidYouMean.distance("kitten", "sitting"));
  }

  @Test
  void suggestsTheClosestCloseEnoughCandidate() {
    List<String> keys = GridAxis.ids();
    assertEquals(Optional.of("learning_rate"), DidYouMean.suggest("Learning-Rate", keys));
    assertEquals(Optional.of("weight_scale"), DidYouMean.suggest("wieght_scale", keys));
    assertEquals(Optional.empty(), DidYouMean.suggest("colour", keys));
  }
}
