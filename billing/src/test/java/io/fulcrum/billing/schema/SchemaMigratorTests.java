package io.fulcrum.billing.schema;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class SchemaMigratorTests {

	@Test
	void migratingTwiceIsHarmless() {
		String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";

		SchemaMigrator.migrate(url, "sa", "", "billing");

		assertThatNoException().isThrownBy(() -> SchemaMigrator.migrate(url, "sa", "", "billing"));
	}

	@Test
	void schemaNameThatNeedsQuotingIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> SchemaMigrator.requireValidSchemaName("Billing"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SchemaMigrator.requireValidSchemaName("billing;DROP ALL OBJECTS"));
		assertThatIllegalArgumentException().isThrownBy(() -> SchemaMigrator.requireValidSchemaName(""));
	}

}
