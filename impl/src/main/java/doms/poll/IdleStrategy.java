package doms.poll;

/**
 * What a poller does between polls: the paper's polling period. Callers pass the work the last
 * poll did; any work resets the strategy, no work makes it wait.
 *
 * <p>Instances keep state and belong to one thread.
 */
public interface IdleStrategy {
    /** Called after each poll with the number of items it handled. */
    void idle(int workCount);

    /** Forget any backoff state. */
    void reset();

    /** The spelling that {@link IdleStrategies#parse(String)} accepts for this strategy. */
    String spec();
}
