"""Conan 2 recipe for leadkit.

    conan create conan --build=missing

The version is read from the top-level CMakeLists.txt, where it is defined once.
"""
import os
import re

from conan import ConanFile
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load


class LeadkitConan(ConanFile):
    name = "leadkit"
    description = "Embeddable B2B lead scoring and buyer-persona matching (C API + C++ + Python)"
    license = "proprietary"
    topics = ("lead-scoring", "personas", "marketing", "simd")
    settings = "os", "arch", "compiler", "build_type"
    options = {"shared": [True, False], "fPIC": [True, False]}
    default_options = {"shared": True, "fPIC": True}
    package_type = "library"
    exports_sources = "CMakeLists.txt", "cmake/*", "include/*", "src/*"

    def set_version(self):
        cmakelists = load(self, os.path.join(self.recipe_folder, "..", "CMakeLists.txt"))
        match = re.search(r"project\(leadkit\s+VERSION\s+(\d+\.\d+\.\d+)", cmakelists)
        self.version = match.group(1)

    def export_sources(self):
        # The recipe lives in conan/; the sources are one level up.
        root = os.path.join(self.recipe_folder, "..")
        for pattern in self.exports_sources:
            copy(self, pattern, root, self.export_sources_folder)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # Private to the implementation: headers at build time, nothing in the
        # public headers. Boost.Serialization backs the model file format.
        self.requires("eigen/3.4.0", visible=False)
        self.requires("nlohmann_json/3.11.2", visible=False)
        self.requires("boost/1.83.0", visible=False)

    def generate(self):
        tc = CMakeToolchain(self)
        for option in ("TESTS", "BENCHMARKS", "PYTHON", "EXAMPLES"):
            tc.cache_variables[f"LEADKIT_BUILD_{option}"] = False
        tc.cache_variables["LEADKIT_WERROR"] = False
        tc.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        CMake(self).install()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "leadkit")
        self.cpp_info.set_property("cmake_target_name", "leadkit::leadkit")
        self.cpp_info.set_property("pkg_config_name", "leadkit")
        self.cpp_info.libs = ["leadkit"]
        if not self.options.shared:
            self.cpp_info.defines = ["LEADKIT_STATIC"]
        if self.settings.os in ("Linux", "FreeBSD"):
            self.cpp_info.system_libs = ["pthread", "m"]
