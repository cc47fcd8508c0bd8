#!/usr/bin/env python3
"""Vendors the protocol definitions the Swift Reverb client speaks, and generates its Swift code.

Usage: vendor_reverb_protos.py --plugins DIR [--check]

dm-reverb's wheel ships no .proto files: its schema lives in `reverb/cc/schema_pb2.py` and its
service only in `libreverb_service_cc_proto.so`, both as serialised FileDescriptorProtos. This
script reads those descriptors from the installed dm-reverb (0.14), prints them as .proto files
under Protos/reverb/cc/, copies TensorFlow's tensor protos from the installed tensorflow wheel
under Protos/tensorflow/, checks that protoc compiles the printed files back to the very same
descriptors, and runs protoc (from grpcio-tools) with protoc-gen-swift and
protoc-gen-grpc-swift-2 (built from the swift-protobuf and grpc-swift-protobuf packages; DIR
holds both) into Sources/FTWReverbClient/Generated/. With --check it only verifies that the
committed files are what it would write.

The generated files are committed, so building the package needs neither protoc nor the plugins.
"""

import argparse
import filecmp
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTOS = ROOT / "Protos"
GENERATED = ROOT / "Sources" / "FTWReverbClient" / "Generated"
TENSORFLOW_PROTOS = [
    "tensorflow/core/framework/tensor.proto",
    "tensorflow/core/framework/tensor_shape.proto",
    "tensorflow/core/framework/types.proto",
    "tensorflow/core/framework/resource_handle.proto",
    "tensorflow/core/protobuf/struct.proto",
]
REVERB_PROTOS = ["reverb/cc/schema.proto", "reverb/cc/reverb_service.proto"]
# Each generated file is wrapped in this condition: the package's `Distributed` trait.
CONDITION = "Distributed"

FDP = descriptor_pb2.FieldDescriptorProto
SCALARS = {
    FDP.TYPE_DOUBLE: "double", FDP.TYPE_FLOAT: "float", FDP.TYPE_INT64: "int64",
    FDP.TYPE_UINT64: "uint64", FDP.TYPE_INT32: "int32", FDP.TYPE_FIXED64: "fixed64",
    FDP.TYPE_FIXED32: "fixed32", FDP.TYPE_BOOL: "bool", FDP.TYPE_STRING: "string",
    FDP.TYPE_BYTES: "bytes", FDP.TYPE_UINT32: "uint32", FDP.TYPE_SFIXED32: "sfixed32",
    FDP.TYPE_SFIXED64: "sfixed64", FDP.TYPE_SINT32: "sint32", FDP.TYPE_SINT64: "sint64",
}


def service_descriptor(library: pathlib.Path, name: str) -> descriptor_pb2.FileDescriptorProto:
    """Finds the serialised FileDescriptorProto named `name` in a compiled C++ proto library."""
    data = library.read_bytes()
    key = bytes([0x0A, len(name)]) + name.encode()
    start = data.find(key)
    while start >= 0:
        end = wire_end(data, start)
        try:
            found = descriptor_pb2.FileDescriptorProto.FromString(data[start:end])
            if found.name == name and found.service:
                return found
        except Exception:
            pass
        start = data.find(key, start + 1)
    raise SystemExit(f"no descriptor of {name} in {library}")


def wire_end(data: bytes, start: int) -> int:
    """The end of the run of FileDescriptorProto fields (numbers 1-14) that begins at `start`."""
    position = start

    def varint(at):
        value, shift = 0, 0
        while True:
            byte = data[at]
            value |= (byte & 0x7F) << shift
            at += 1
            if byte < 0x80:
                return value, at
            shift += 7

    while position < len(data):
        tag, after = varint(position)
        number, wire = tag >> 3, tag & 7
        if not 1 <= number <= 14:
            break
        if wire == 0:
            _, after = varint(after)
        elif wire == 2:
            length, after = varint(after)
            after += length
        else:
            break
        if after > len(data):
            break
        position = after
    return position


def field_type(field) -> str:
    if field.type in (FDP.TYPE_MESSAGE, FDP.TYPE_ENUM):
        return field.type_name
    return SCALARS[field.type]


def print_message(message, indent, out):
    pad = "  " * indent
    out.append(f"{pad}message {message.name} {{")
    maps = {n.name: n for n in message.nested_type if n.options.map_entry}
    for nested in message.nested_type:
        if not nested.options.map_entry:
            print_message(nested, indent + 1, out)
    for enum in message.enum_type:
        print_enum(enum, indent + 1, out)
    real_oneofs = {}
    for field in message.field:
        if field.HasField("oneof_index") and not field.proto3_optional:
            real_oneofs.setdefault(field.oneof_index, []).append(field)
    printed_oneofs = set()
    for field in message.field:
        if field.HasField("oneof_index") and not field.proto3_optional:
            index = field.oneof_index
            if index in printed_oneofs:
                continue
            printed_oneofs.add(index)
            out.append(f"{pad}  oneof {message.oneof_decl[index].name} {{")
            for member in real_oneofs[index]:
                out.append(f"{pad}    {field_type(member)} {member.name} = {member.number}{options(member)};")
            out.append(f"{pad}  }}")
            continue
        entry = maps.get(field.type_name.rsplit(".", 1)[-1]) if field.type == FDP.TYPE_MESSAGE else None
        if entry is not None and field.label == FDP.LABEL_REPEATED:
            key, value = entry.field
            out.append(f"{pad}  map<{field_type(key)}, {field_type(value)}> {field.name} = {field.number};")
            continue
        label = "repeated " if field.label == FDP.LABEL_REPEATED else ("optional " if field.proto3_optional else "")
        out.append(f"{pad}  {label}{field_type(field)} {field.name} = {field.number}{options(field)};")
    for reserved in message.reserved_range:
        if reserved.end - reserved.start == 1:
            out.append(f"{pad}  reserved {reserved.start};")
        else:
            out.append(f"{pad}  reserved {reserved.start} to {reserved.end - 1};")
    for name in message.reserved_name:
        out.append(f'{pad}  reserved "{name}";')
    out.append(f"{pad}}}")


def options(field) -> str:
    parts = []
    if field.options.deprecated:
        parts.append("deprecated = true")
    if field.options.lazy:
        parts.append("lazy = true")
    if field.options.HasField("packed"):
        parts.append(f"packed = {'true' if field.options.packed else 'false'}")
    return f" [{', '.join(parts)}]" if parts else ""


def print_enum(enum, indent, out):
    pad = "  " * indent
    out.append(f"{pad}enum {enum.name} {{")
    if enum.options.allow_alias:
        out.append(f"{pad}  option allow_alias = true;")
    for value in enum.value:
        out.append(f"{pad}  {value.name} = {value.number};")
    out.append(f"{pad}}}")


def print_file(descriptor) -> str:
    out = [
        "// Printed by Scripts/vendor_reverb_protos.py from the descriptor in dm-reverb 0.14's wheel",
        "// (Copyright DeepMind Technologies Limited, Apache License 2.0). Do not edit.",
        "",
        f'syntax = "{descriptor.syntax or "proto2"}";',
        "",
        f"package {descriptor.package};",
        "",
    ]
    out += [f'import "{dependency}";' for dependency in descriptor.dependency]
    out.append("")
    for message in descriptor.message_type:
        print_message(message, 0, out)
        out.append("")
    for enum in descriptor.enum_type:
        print_enum(enum, 0, out)
        out.append("")
    for service in descriptor.service:
        out.append(f"service {service.name} {{")
        for method in service.method:
            request = ("stream " if method.client_streaming else "") + method.input_type
            response = ("stream " if method.server_streaming else "") + method.output_type
            out.append(f"  rpc {method.name}({request}) returns ({response});")
        out.append("}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def comparable(descriptor):
    """The descriptor without what the .proto text does not carry (options, json names, comments)."""
    copy = descriptor_pb2.FileDescriptorProto()
    copy.CopyFrom(descriptor)
    copy.ClearField("options")
    copy.ClearField("source_code_info")

    def strip(message):
        for field in message.field:
            field.ClearField("json_name")
        for nested in message.nested_type:
            strip(nested)

    for message in copy.message_type:
        strip(message)
    for service in copy.service:
        for method in service.method:
            method.ClearField("options")
    return copy


def protoc(*arguments):
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", *arguments], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plugins", required=True, help="folder with protoc-gen-swift and protoc-gen-grpc-swift-2")
    parser.add_argument("--check", action="store_true", help="only compare with the committed files")
    options_ = parser.parse_args()

    import reverb
    import reverb.cc.schema_pb2 as schema
    import tensorflow

    reverb_dir = pathlib.Path(reverb.__file__).parent
    tensorflow_include = pathlib.Path(tensorflow.__file__).parent / "include"
    descriptors = {
        "reverb/cc/schema.proto": descriptor_pb2.FileDescriptorProto.FromString(schema.DESCRIPTOR.serialized_pb),
        "reverb/cc/reverb_service.proto": service_descriptor(
            reverb_dir / "libreverb_service_cc_proto.so", "reverb/cc/reverb_service.proto"),
    }

    with tempfile.TemporaryDirectory() as scratch:
        staged = pathlib.Path(scratch) / "Protos"
        for name in TENSORFLOW_PROTOS:
            (staged / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tensorflow_include / name, staged / name)
        for name in REVERB_PROTOS:
            (staged / name).parent.mkdir(parents=True, exist_ok=True)
            (staged / name).write_text(print_file(descriptors[name]))

        # The printed files must compile back to the descriptors they came from.
        descriptor_set = pathlib.Path(scratch) / "set.pb"
        protoc(f"-I{staged}", f"--descriptor_set_out={descriptor_set}", *REVERB_PROTOS)
        compiled = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set.read_bytes())
        for file in compiled.file:
            if comparable(file) != comparable(descriptors[file.name]):
                raise SystemExit(f"{file.name}: the printed file does not compile to dm-reverb's descriptor")

        out = pathlib.Path(scratch) / "Generated"
        out.mkdir()
        plugins = pathlib.Path(options_.plugins)
        protoc(
            f"-I{staged}", f"--plugin=protoc-gen-swift={plugins / 'protoc-gen-swift'}",
            f"--swift_out={out}", "--swift_opt=Visibility=Public,FileNaming=PathToUnderscores",
            *TENSORFLOW_PROTOS, *REVERB_PROTOS,
        )
        protoc(
            f"-I{staged}", f"--plugin=protoc-gen-grpc-swift={plugins / 'protoc-gen-grpc-swift-2'}",
            f"--grpc-swift_out={out}",
            "--grpc-swift_opt=Visibility=Public,Server=false,FileNaming=PathToUnderscores",
            "reverb/cc/reverb_service.proto",
        )
        for path in out.iterdir():
            # Only the `Distributed` trait builds these (their imports are its dependencies).
            path.write_text(f"// swift-format-ignore-file\n#if {CONDITION}\n{path.read_text()}#endif\n")

        if options_.check:
            stale = [
                str(path.relative_to(scratch)) for path in [*staged.rglob("*.proto"), *out.iterdir()]
                if not filecmp.cmp(path, (PROTOS if path.is_relative_to(staged) else GENERATED)
                                   / path.relative_to(staged if path.is_relative_to(staged) else out),
                                   shallow=False)
            ]
            if stale:
                raise SystemExit(f"out of date: {', '.join(stale)}")
            print("the vendored protos and the generated code are up to date")
            return 0
        shutil.rmtree(PROTOS, ignore_errors=True)
        shutil.copytree(staged, PROTOS)
        shutil.rmtree(GENERATED, ignore_errors=True)
        shutil.copytree(out, GENERATED)
        print(f"wrote {len(list(PROTOS.rglob('*.proto')))} protos under {PROTOS} and "
              f"{len(list(GENERATED.iterdir()))} Swift files under {GENERATED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
