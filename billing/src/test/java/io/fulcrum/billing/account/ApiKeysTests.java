package io.fulcrum.billing.account;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTests {

	@Test
	void generatedSecretIsPrefixedUrlSafeAndFortyCharactersLong() {
		String secret = ApiKeys.generateSecret();

		assertThat(secret).startsWith("fk-").hasSize(43).matches("fk-[A-Za-z0-9_-]{40}");
		assertThat(ApiKeys.looksLikeKey(secret)).isTrue();
	}

	@Test
	void generatedSecretsDiffer() {
		Set<String> secrets = new HashSet<>();
		IntStream.range(0, 1_000).forEach((i) -> secrets.add(ApiKeys.generateSecret()));

		assertThat(secrets).hasSize(1_000);
	}

	@Test
	void hashIsLowerCaseHexSha256() {
		assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void junkDoesNotLookLikeKey() {
		assertThat(ApiKeys.looksLikeKey("sk-0123456789abcdefghij")).isFalse();
		assertThat(ApiKeys.looksLikeKey("fk-short")).isFalse();
		assertThat(ApiKeys.looksLikeKey("fk-" + "a".repeat(129))).isFalse();
		assertThat(ApiKeys.looksLikeKey("fk-0123456789abcdef ghij")).isFalse();
		assertThat(ApiKeys.looksLikeKey("fk-0123456789abcdef+ghij")).isFalse();
		assertThat(ApiKeys.looksLikeKey("")).isFalse();
	}

	@Test
	void handPickedSecretLooksLikeKey() {
		assertThat(ApiKeys.looksLikeKey("fk-bootstrap-0123456789")).isTrue();
	}

	@Test
	void displayPrefixIsTheEightCharactersAfterFk() {
		assertThat(ApiKeys.displayPrefix("fk-ABCDEFGHijklmnopqrstuv")).isEqualTo("ABCDEFGH");
	}

	@Test
	void idsCarryTheirKind() {
		assertThat(AccountIds.newTenantId()).matches("ten_[A-Za-z0-9_-]{20}");
		assertThat(AccountIds.newKeyId()).matches("key_[A-Za-z0-9_-]{20}");
	}

	@Test
	void keyWithoutAllowedModelsAllowsEveryModel() {
		ApiKey key = key(Set.of());

		assertThat(key.allows("chat-default")).isTrue();
		assertThat(key.allows("anything")).isTrue();
	}

	@Test
	void keyWithAllowedModelsAllowsOnlyThose() {
		ApiKey key = key(Set.of("chat-default", "embed"));

		assertThat(key.allows("chat-default")).isTrue();
		assertThat(key.allows("chat-premium")).isFalse();
	}

	@Test
	void issuedKeyNeverPrintsItsSecret() {
		String secret = ApiKeys.generateSecret();
		IssuedKey issued = new IssuedKey(key(Set.of()), secret);

		assertThat(issued.toString()).doesNotContain(secret).doesNotContain(secret.substring(11));
	}

	private static ApiKey key(Set<String> models) {
		return new ApiKey("key_1", "ten_1", "ci", "ABCDEFGH", models, true, Instant.EPOCH);
	}

}
