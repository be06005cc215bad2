package io.fulcrum.routing;

/**
 * Orders candidate indexes without boxing: an insertion sort, which is the fastest for the few candidates an alias
 * has, and stable, so candidates that tie keep their configured order.
 */
public final class Ranking {

	private Ranking() {
	}

	/** Whether candidate {@code a} goes before candidate {@code b}. */
	@FunctionalInterface
	public interface Before {

		boolean test(int a, int b);

	}

	/** The indexes {@code 0..n-1}, ordered by {@code before}. */
	public static int[] order(int n, Before before) {
		int[] order = new int[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		for (int i = 1; i < n; i++) {
			int current = order[i];
			int j = i - 1;
			while (j >= 0 && before.test(current, order[j])) {
				order[j + 1] = order[j];
				j--;
			}
			order[j + 1] = current;
		}
		return order;
	}

}
