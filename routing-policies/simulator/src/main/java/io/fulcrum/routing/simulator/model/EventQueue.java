package io.fulcrum.routing.simulator.model;

import java.util.PriorityQueue;

/** Virtual time: actions ordered by time, and by scheduling order at equal times, so runs are deterministic. */
final class EventQueue {

	private final PriorityQueue<Event> queue = new PriorityQueue<>();

	private long sequence;

	private long now;

	long now() {
		return this.now;
	}

	void at(long time, Runnable action) {
		this.queue.add(new Event(Math.max(time, this.now), this.sequence++, action));
	}

	boolean isEmpty() {
		return this.queue.isEmpty();
	}

	/** Runs the next action; returns its time. */
	long step() {
		Event event = this.queue.poll();
		this.now = event.time;
		event.action.run();
		return event.time;
	}

	long peekTime() {
		return this.queue.peek().time;
	}

	private record Event(long time, long sequence, Runnable action) implements Comparable<Event> {

		@Override
		public int compareTo(Event other) {
			int byTime = Long.compare(this.time, other.time);
			return byTime != 0 ? byTime : Long.compare(this.sequence, other.sequence);
		}

	}

}
