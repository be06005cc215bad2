package io.fulcrum.backend;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class EngineArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.fulcrum.backend");

	@Test
	void theEngineDependsOnNoFrameworkAndNoServer() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "reactor..", "io.netty..", "io.micrometer..",
					"io.fulcrum.backend.server..", "io.fulcrum.gateway..", "ai.onnxruntime..", "ai.djl..")
			.check(this.classes);
	}

	@Test
	void onlyTheCudaPackagesTouchJCuda() {
		noClasses().that()
			.resideOutsideOfPackages("io.fulcrum.backend.encoder.cuda..", "io.fulcrum.backend.llama.cuda..")
			.and()
			.doNotHaveFullyQualifiedName("io.fulcrum.backend.encoder.EncoderSelection")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("jcuda..")
			.check(this.classes);
	}

}
