package io.fulcrum.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTest {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.fulcrum.gateway");

	@Test
	void requestPathCoreIsPlainJavaAndReactorWithoutSpring() {
		noClasses().that()
			.resideInAnyPackage("io.fulcrum.gateway.catalog..", "io.fulcrum.gateway.dispatch..",
					"io.fulcrum.gateway.metering..", "io.fulcrum.gateway.provider..", "io.fulcrum.gateway.auth..",
					"io.fulcrum.gateway.metrics..", "io.fulcrum.gateway.cache..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(this.classes);
	}

	@Test
	void onlyTheDispatchFilterAndEndpointsReachTheDispatcher() {
		noClasses().that()
			.resideOutsideOfPackages("io.fulcrum.gateway.ingress..", "io.fulcrum.gateway.dispatch..",
					"io.fulcrum.gateway.config..")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("io.fulcrum.gateway.dispatch.InferenceDispatcher")
			.check(this.classes);
	}

}
