package io.descentwatch.importers;

import java.nio.file.Path;

/** How an imported run is named: by where it lies under the input, as TensorBoard names runs. */
final class RunNames {

    private RunNames() {}

    /** {@code dir}'s path under {@code root} with '/' separators; the root's own name when they are the same. */
    static String of(Path root, Path dir) {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        Path relative = absoluteRoot.relativize(dir.toAbsolutePath().normalize());
        if (relative.toString().isEmpty()) {
            return baseName(absoluteRoot);
        }
        return relative.toString().replace(java.io.File.separatorChar, '/');
    }

    /** A file's or directory's name without its extension: the default name of a sweep or a run. */
    static String baseName(Path path) {
        Path name = path.toAbsolutePath().normalize().getFileName();
        if (name == null) {
            return "imported";
        }
        String s = name.toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
