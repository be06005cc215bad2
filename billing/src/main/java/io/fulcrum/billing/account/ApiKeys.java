package io.fulcrum.billing.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Generates app key secrets, hashes them for storage, and recognises strings that could be one. */
public final class ApiKeys {

	/** What every secret starts with, so that leaked keys are easy to spot and to scan for. */
	public static final String SECRET_PREFIX = "fk-";

	/** Characters of the secret after {@link #SECRET_PREFIX} that are kept, in clear, for display. */
	public static final int DISPLAY_PREFIX_LENGTH = 8;

	/** 30 random bytes encode to exactly 40 base64 characters, without padding: 240 bits of entropy. */
	private static final int SECRET_BYTES = 30;

	/** Operators may bring their own secret (the bootstrap key), so accept more than generated ones look like. */
	private static final int MIN_BODY_LENGTH = 16;

	private static final int MAX_BODY_LENGTH = 128;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

	private ApiKeys() {
	}

	/** A new secret: {@code fk-} and 40 characters of URL-safe base64. */
	public static String generateSecret() {
		return SECRET_PREFIX + randomUrlSafe(SECRET_BYTES);
	}

	/** The SHA-256 of the secret in lower-case hex: the only form in which a secret is stored. */
	public static String hash(String secret) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	}

	/**
	 * Whether {@code candidate} has the shape of a secret: the {@code fk-} prefix, then 16 to 128 URL-safe base64
	 * characters. A cheap check that spares the store lookups for junk.
	 */
	public static boolean looksLikeKey(String candidate) {
		if (!candidate.startsWith(SECRET_PREFIX)) {
			return false;
		}
		int length = candidate.length() - SECRET_PREFIX.length();
		if (length < MIN_BODY_LENGTH || length > MAX_BODY_LENGTH) {
			return false;
		}
		for (int i = SECRET_PREFIX.length(); i < candidate.length(); i++) {
			if (!isUrlSafe(candidate.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	/** The part of a secret shown in listings: its first characters after {@code fk-}. */
	public static String displayPrefix(String secret) {
		if (!looksLikeKey(secret)) {
			throw new IllegalArgumentException("not an app key secret");
		}
		return secret.substring(SECRET_PREFIX.length(), SECRET_PREFIX.length() + DISPLAY_PREFIX_LENGTH);
	}

	/** {@code bytes} random bytes as URL-safe base64 without padding. */
	static String randomUrlSafe(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		return URL_SAFE.encodeToString(random);
	}

	private static boolean isUrlSafe(char c) {
		return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
	}

}
