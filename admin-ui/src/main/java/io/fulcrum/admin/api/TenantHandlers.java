package io.fulcrum.admin.api;

import io.fulcrum.billing.account.AccountStore;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code /admin/api/tenants}: create, list, show and revoke tenants. */
final class TenantHandlers {

	private final AccountStore accounts;

	private final AccountsChanged changed;

	TenantHandlers(AccountStore accounts, AccountsChanged changed) {
		this.accounts = accounts;
		this.changed = changed;
	}

	Mono<ServerResponse> create(ServerRequest request) {
		return RequestBodies.createTenant(request)
			.flatMap((body) -> this.accounts.createTenant(body.name()))
			.doOnNext((tenant) -> this.changed.signal())
			.flatMap((tenant) -> JsonResponses.json(HttpStatus.CREATED, AccountViews.tenant(tenant)));
	}

	Mono<ServerResponse> list(ServerRequest request) {
		return this.accounts.listTenants()
			.map(AccountViews::tenant)
			.collectList()
			.flatMap((tenants) -> JsonResponses.json(HttpStatus.OK, Lists.data(tenants)));
	}

	Mono<ServerResponse> show(ServerRequest request) {
		String id = request.pathVariable("id");
		return this.accounts.findTenant(id)
			.switchIfEmpty(Mono.error(() -> noSuchTenant(id)))
			.flatMap((tenant) -> JsonResponses.json(HttpStatus.OK, AccountViews.tenant(tenant)));
	}

	/** Revokes the tenant and, with it, every key it holds. */
	Mono<ServerResponse> revoke(ServerRequest request) {
		String id = request.pathVariable("id");
		return this.accounts.revokeTenant(id).flatMap((revoked) -> {
			if (!revoked) {
				return Mono.error(noSuchTenant(id));
			}
			this.changed.signal();
			return ServerResponse.noContent().build();
		});
	}

	static ApiProblem noSuchTenant(String id) {
		return ApiProblem.notFound("No tenant with id '" + id + "'");
	}

}
