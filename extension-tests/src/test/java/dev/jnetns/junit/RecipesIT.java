package dev.jnetns.junit;

import dev.jnetns.recipes.ChildProcessRecipe;
import dev.jnetns.recipes.JdkHttpRecipe;
import dev.jnetns.recipes.NettyRecipe;
import dev.jnetns.recipes.OkHttpRecipe;
import java.util.LinkedHashMap;
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
    private static final Map<Class<?>, Integer> RECIPES = recipes();

    private static Map<Class<?>, Integer> recipes() {
        Map<Class<?>, Integer> recipes = new LinkedHashMap<>();
        recipes.put(JdkHttpRecipe.class, 3);
        recipes.put(OkHttpRecipe.class, 3);
        recipes.put(NettyRecipe.class, 1);
        recipes.put(ChildProcessRecipe.class, 1);
        if (Runtime.version().feature() >= 21) { // compiled from src/test/java21 there
            try {
                recipes.put(Class.forName("dev.jnetns.recipes.JdkHttpClientClosedRecipe"), 1);
            } catch (ClassNotFoundException e) {
                throw new AssertionError("the JDK 21 recipes were not compiled", e);
            }
        }
        return recipes;
    }

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
