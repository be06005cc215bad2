package io.fulcrum.gateway.ingress;

import io.fulcrum.gateway.auth.Caller;
import io.fulcrum.gateway.catalog.DeploymentCatalog;
import io.fulcrum.gateway.catalog.ModelAlias;
import io.fulcrum.gateway.error.ErrorKind;
import io.fulcrum.gateway.error.GatewayException;

/** Resolves the model a request names to an alias the caller may use: 404 when unknown, 403 when not allowed. */
public final class ModelAccess {

	private final DeploymentCatalog catalog;

	public ModelAccess(DeploymentCatalog catalog) {
		this.catalog = catalog;
	}

	public ModelAlias resolve(Caller caller, String model, ModelAlias.ModelType type) {
		ModelAlias alias = this.catalog.alias(model);
		if (alias == null || alias.type() != type) {
			throw new GatewayException(ErrorKind.NOT_FOUND,
					"The model '" + model + "' does not exist"
							+ (alias != null ? " as " + (type == ModelAlias.ModelType.CHAT ? "a chat" : "an embeddings")
									+ " model" : "")
							+ " or you do not have access to it.",
					"model", "model_not_found", null);
		}
		if (!caller.mayUse(model)) {
			throw new GatewayException(ErrorKind.MODEL_NOT_ALLOWED,
					"This API key is not allowed to use the model '" + model + "'.", "model", "model_not_allowed",
					null);
		}
		return alias;
	}

	public DeploymentCatalog catalog() {
		return this.catalog;
	}

}
