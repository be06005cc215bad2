package io.fulcrum.billing;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "io.fulcrum.billing", importOptions = ImportOption.DoNotIncludeTests.class)
class BillingArchitectureTests {

	@ArchTest
	static final ArchRule coreIsPlainJava = classes().that()
		.resideInAnyPackage("..billing.account..", "..billing.usage..", "..billing.pricing..", "..billing.budget..")
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("java..", "reactor..", "org.reactivestreams..", "org.jspecify..",
				"io.fulcrum.billing.account..", "io.fulcrum.billing.usage..", "io.fulcrum.billing.pricing..",
				"io.fulcrum.billing.budget..");

	/** Invoices are plain Java too, with a PDF and a CSV library for their renderings. */
	@ArchTest
	static final ArchRule invoicesArePlainJavaPlusRenderers = classes().that()
		.resideInAPackage("..billing.invoice..")
		.should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("java..", "reactor..", "org.reactivestreams..", "org.jspecify..", "org.apache.pdfbox..",
				"org.apache.commons.csv..", "io.fulcrum.billing.usage..", "io.fulcrum.billing.pricing..",
				"io.fulcrum.billing.invoice..");

	@ArchTest
	static final ArchRule onlyAdaptersTouchTheDatabase = noClasses().that()
		.resideOutsideOfPackages("..billing.r2dbc..", "..billing.schema..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("io.r2dbc..", "org.springframework..", "org.flywaydb..", "java.sql..", "javax.sql..",
				"org.h2..", "org.postgresql..");

}
