package dev.jnetns.junit;

import dev.jnetns.recipes.ChildProcessRecipe;
import dev.jnetns.recipes.JdkHttpRecipe;
import dev.jnetns.recipes.NettyRecipe;
import dev.jnetns.recipes.OkHttpRecipe;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README's recipes ({@code dev.jnetns.recipes}), with default settings: one after the other, and together under
 * JUnit's parallel execution (classes and methods concurrent), where servers listen on the same fixed ports at
 * the same time and each test reaches its own. They run here, not in the unit tests' JVM, because the threads
 * they leave to idle out would disturb that JVM's descriptor and thread checks.
 */
class RecipesIT {
    /** Each recipe class and its number of tests. */
    private static final Map<Class<?>, Integer> RECIPES =
            Map.of(JdkHttpRecipe.class, 3, OkHttpRecipe.class, 3, NettyRecipe.class, 1, ChildProcessRecipe.class, 1);

    @Test
    void theRecipesPassOneAfterTheOther() {
        RECIPES.forEach((recipe, tests) -> Kit.assertAllSucceeded(Kit.run(recipe), tests));
    }

    @Test
    void theRecipesPassSideBySide() {
        Kit.assertAllSucceeded(
                Kit.runParallel(List.copyOf(RECIPES.keySet())),
                RECIPES.values().stream().mapToInt(Integer::intValue).sum());
    }
}
