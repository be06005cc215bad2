package io.fulcrum.backend.generation;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StopMatcherTests {

	@Test
	void textWithoutStopSequencesPassesStraightThrough() {
		StopMatcher matcher = new StopMatcher(List.of());
		assertThat(matcher.accept("Once upon")).isEqualTo("Once upon");
		assertThat(matcher.flush()).isEmpty();
	}

	@Test
	void aStopSequenceSplitAcrossPiecesIsHeldBackAndNeverShown() {
		StopMatcher matcher = new StopMatcher(List.of("THE END"));
		assertThat(matcher.accept("and they lived. TH")).isEqualTo("and they lived. ");
		assertThat(matcher.accept("E E")).isEmpty();
		assertThat(matcher.accept("ND!")).isEmpty();
		assertThat(matcher.matched()).isTrue();
		assertThat(matcher.accept("more")).isEmpty();
		assertThat(matcher.flush()).isEmpty();
	}

	@Test
	void heldTextThatTurnsOutNotToBeAStopIsReleased() {
		StopMatcher matcher = new StopMatcher(List.of("\n\n"));
		assertThat(matcher.accept("line\n")).isEqualTo("line");
		assertThat(matcher.accept("next")).isEqualTo("\nnext");
		assertThat(matcher.accept("\n")).isEmpty();
		assertThat(matcher.flush()).isEqualTo("\n");
		assertThat(matcher.matched()).isFalse();
	}

	@Test
	void theEarliestOfSeveralStopSequencesWins() {
		StopMatcher matcher = new StopMatcher(List.of("bird", "cat"));
		assertThat(matcher.accept("a cat and a bird")).isEqualTo("a ");
	}

	@Test
	void anEmptyStopSequenceIsRefused() {
		assertThatThrownBy(() -> new StopMatcher(List.of(""))).isInstanceOf(IllegalArgumentException.class);
	}

}
