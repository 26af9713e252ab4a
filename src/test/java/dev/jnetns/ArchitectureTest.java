package dev.jnetns;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure, enforced: data flows one way, from the JUnit, AssertJ and CLI faces through the
 * rtnetlink client and the core API down to the internals, and no package depends on one above it.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.jnetns");
    }

    @Test
    void noPackageCycles() {
        // one slice per package, the root package dev.jnetns included (slices().matching("dev.jnetns.(**)")
        // would leave it out)
        slices().assignedFrom(new SliceAssignment() {
                    @Override
                    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                        return SliceIdentifier.of(javaClass.getPackageName());
                    }

                    @Override
                    public String getDescription() {
                        return "one slice per package of dev.jnetns";
                    }
                })
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    @Test
    void layersDependOnlyDownwards() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("faces")
                .definedBy("dev.jnetns.junit..", "dev.jnetns.assertj..", "dev.jnetns.cli..")
                .layer("rtnetlink client")
                .definedBy("dev.jnetns.link..")
                .layer("core API")
                .definedBy("dev.jnetns")
                .layer("threads and namespaces")
                .definedBy("dev.jnetns.internal")
                .layer("netlink codec")
                .definedBy("dev.jnetns.internal.netlink..")
                .layer("system calls")
                .definedBy("dev.jnetns.internal.sys..")
                .whereLayer("faces")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("rtnetlink client")
                .mayOnlyBeAccessedByLayers("faces")
                .whereLayer("core API")
                .mayOnlyBeAccessedByLayers("faces", "rtnetlink client")
                .whereLayer("threads and namespaces")
                .mayOnlyBeAccessedByLayers("faces", "rtnetlink client", "core API")
                .whereLayer("netlink codec")
                .mayOnlyBeAccessedByLayers("faces", "rtnetlink client", "core API", "threads and namespaces")
                .whereLayer("system calls")
                .mayOnlyBeAccessedByLayers(
                        "faces", "rtnetlink client", "core API", "threads and namespaces", "netlink codec")
                .check(classes);
    }
}
