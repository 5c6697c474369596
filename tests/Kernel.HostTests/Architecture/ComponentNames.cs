// Maps a namespace to the kernel component it belongs to: Kernel.X[.Y] -> X, Efi -> Efi, System*/Internal* -> Corelib.
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kernel.HostTests.Architecture;

public static class ComponentNames
{
    public const string Corelib = "Corelib";
    public const string Efi = "Efi";

    /// <summary>
    /// The component of a dotted namespace name. A namespace outside the scheme (the bare "Kernel", the global
    /// namespace as "", anything else) is its own component under its own name, so the listing test names it.
    /// </summary>
    public static string FromNamespace(string ns)
    {
        if (ns.StartsWith("Kernel.", StringComparison.Ordinal))
        {
            string rest = ns.Substring("Kernel.".Length);
            int dot = rest.IndexOf('.');
            return dot < 0 ? rest : rest.Substring(0, dot);
        }

        if (ns == Efi || ns.StartsWith("Efi.", StringComparison.Ordinal))
        {
            return Efi;
        }

        if (IsUnder(ns, "System") || IsUnder(ns, "Internal"))
        {
            return Corelib;
        }

        return ns.Length == 0 ? "<global namespace>" : ns;
    }

    /// <summary>The component of a namespace symbol.</summary>
    public static string FromNamespace(INamespaceSymbol ns) =>
        FromNamespace(ns.IsGlobalNamespace ? string.Empty : ns.ToDisplayString());

    /// <summary>The full dotted name a namespace declaration declares, including the declarations around it.</summary>
    public static string DeclaredName(BaseNamespaceDeclarationSyntax declaration)
    {
        string name = declaration.Name.ToString();
        for (SyntaxNode outer = declaration.Parent; outer != null; outer = outer.Parent)
        {
            if (outer is BaseNamespaceDeclarationSyntax enclosing)
            {
                name = enclosing.Name + "." + name;
            }
        }

        return name;
    }

    /// <summary>
    /// Every namespace a file declares, by full name in source order. A declaration that only wraps other namespace
    /// declarations (the "Kernel" of namespace Kernel { namespace Acpi { } }) is not counted on its own.
    /// </summary>
    public static List<string> DeclaredNamespaces(SyntaxNode root)
    {
        List<string> names = new List<string>();
        foreach (SyntaxNode node in root.DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax))
        {
            if (node is BaseNamespaceDeclarationSyntax declaration && !OnlyWrapsNamespaces(declaration))
            {
                names.Add(DeclaredName(declaration));
            }
        }

        return names;
    }

    private static bool OnlyWrapsNamespaces(BaseNamespaceDeclarationSyntax declaration) =>
        declaration.Members.Count > 0 && declaration.Members.All(m => m is BaseNamespaceDeclarationSyntax);

    private static bool IsUnder(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);
}
