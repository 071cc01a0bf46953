// tandem::Error -> Python: a base class tandem.Error and one subclass per ErrorKind, each with a
// class attribute `kind` ("invalid_argument", ...). InvalidArgumentError is also a ValueError, so
// code that catches ValueError for bad arguments keeps working.
#include <array>

#include "tandem/core/error.hpp"

#include "bindings.hpp"

namespace tandem::python {

namespace {

struct KindClass {
  ErrorKind kind;
  const char* name;
  const char* kind_name;  // the class attribute `kind`
  const char* doc;
};

constexpr std::array<KindClass, 6> kKinds = {{
    {ErrorKind::invalid_argument, "InvalidArgumentError", "invalid_argument",
     "Bad input: an argument, or a line or field of a file the caller gave."},
    {ErrorKind::not_found, "NotFoundError", "not_found",
     "A file, index, field or document that does not exist."},
    {ErrorKind::corruption, "CorruptionError", "corruption",
     "A file whose header, checksum or structure is wrong."},
    {ErrorKind::io, "IoError", "io",
     "The operating system refused: open, read, write, rename, disk full."},
    {ErrorKind::unsupported, "UnsupportedError", "unsupported",
     "A valid request this version does not do."},
    {ErrorKind::limit_exceeded, "LimitExceededError", "limit_exceeded",
     "A size or count over a documented limit."},
}};

// Owned by the module object for the interpreter's lifetime (module attributes hold references).
PyObject* g_classes[kKinds.size()] = {};

}  // namespace

void register_errors(py::module_& m) {
  PyObject* base = PyErr_NewExceptionWithDoc(
      "tandem.Error",
      "An error from the tandem engine; str(e) says what is wrong and where (file, line, field). "
      "Subclasses name the kind; e.kind is its name.",
      PyExc_Exception, nullptr);
  if (base == nullptr) throw py::error_already_set();
  m.add_object("Error", py::reinterpret_steal<py::object>(base));
  py::setattr(base, "kind", py::none());
  for (std::size_t i = 0; i < kKinds.size(); ++i) {
    const auto& k = kKinds[i];
    py::tuple bases = k.kind == ErrorKind::invalid_argument
                          ? py::make_tuple(py::handle(base), py::handle(PyExc_ValueError))
                          : py::make_tuple(py::handle(base));
    py::dict attrs;
    attrs["kind"] = k.kind_name;
    const std::string qualified = std::string("tandem.") + k.name;
    PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), k.doc, bases.ptr(), attrs.ptr());
    if (cls == nullptr) throw py::error_already_set();
    m.add_object(k.name, py::reinterpret_steal<py::object>(cls));
    g_classes[i] = cls;
  }
  py::register_exception_translator(
      [](std::exception_ptr p) {  // NOLINT(performance-unnecessary-value-param):
                                  // pybind11 fixes the signature
        try {
          if (p) std::rethrow_exception(p);
        } catch (const Error& e) {
          for (std::size_t i = 0; i < kKinds.size(); ++i) {
            if (kKinds[i].kind == e.kind()) {
              PyErr_SetString(g_classes[i], e.what());
              return;
            }
          }
          PyErr_SetString(g_classes[0], e.what());
        }
      });
}

}  // namespace tandem::python
