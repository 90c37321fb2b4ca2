/** Sends messages to a Pub/Sub topic. */
export interface Publisher {
  /** Publishes each object as one JSON message; resolves when Pub/Sub has accepted them all. */
  publish(topic: string, messages: readonly object[]): Promise<void>;
}
