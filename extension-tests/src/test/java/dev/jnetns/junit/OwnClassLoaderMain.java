package dev.jnetns.junit;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs {@code args[0]}'s {@code main} in a class loader of its own over the class path in system property
 * {@code ownLoader.classpath}, as build tools and frameworks load tests: this JVM's own class path holds only this
 * class's directory, so neither jnetns nor JNA is on {@code java.class.path}. Only JDK types are used here.
 */
public final class OwnClassLoaderMain {
    private OwnClassLoaderMain() {}

    public static void main(String[] args) throws Exception {
        String[] entries = System.getProperty("ownLoader.classpath").split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        ClassLoader loader = new URLClassLoader("own", urls, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Method main = Class.forName(args[0], true, loader).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
