package dev.homelab.core.metrics;

/** The downsampler contract on the in-memory repository. */
class MemoryDownsamplerTest extends DownsamplerContract {

  @Override
  protected MetricRepository freshRepository() {
    return MetricRepository.inMemory();
  }
}
