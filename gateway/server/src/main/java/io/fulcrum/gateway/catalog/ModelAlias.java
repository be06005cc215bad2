package io.fulcrum.gateway.catalog;

import java.util.List;

/**
 * A model name apps use, such as {@code chat-default}, and the deployments that can serve it in configured order.
 */
public record ModelAlias(String name, ModelType type, List<Deployment> deployments) {

	/** What an alias serves. */
	public enum ModelType {

		CHAT, EMBEDDINGS

	}

}
